"""`duban api` (serve the HTTP API) and `duban token create|list|revoke`."""

from __future__ import annotations

import logging
import signal
from typing import Annotated

import typer
from sqlmodel import col, select

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    console,
    current_plan,
    engine,
    local,
    parse_wall,
    print_json,
    print_table,
    user_errors,
)
from duban.models import ApiToken
from duban.models.db import session_scope
from duban.tasks.access.tokens import create_token, revoke

token_app = typer.Typer(help="API 令牌（按角色授权）。", no_args_is_help=True)
ROLE_NAMES = {"auditor": "审计（只读）", "unit": "责任单位", "coordinator": "督办协调"}


def api(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
) -> None:
    """启动 HTTP API（OpenAPI 文档在 /docs，需要 Bearer 令牌）和单位门户（/portal）。"""
    import uvicorn

    from duban.api import create_app
    from duban.runtime import get_settings
    from duban.supervise import install_stop_signals

    install_stop_signals()  # while starting: any stop signal ends it at once
    settings = get_settings()
    with user_errors():
        app = create_app(engine(), clock=settings.time().now, inbox=settings.inbox)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = uvicorn.Server(  # the app trusts proxies as configured (create_app), not uvicorn
        uvicorn.Config(app, host=host, port=port, log_level="warning", proxy_headers=False)
    )
    # serving: uvicorn shuts down gracefully on SIGINT and SIGTERM; a closed terminal
    # (SIGHUP) asks it the same way, not by an exception that may land mid-request
    signal.signal(signal.SIGHUP, server.handle_exit)
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises the signal it stopped for: done
        pass


@token_app.command("create")
def create(
    role: Annotated[str, typer.Option("--role", help="auditor|unit|coordinator")],
    unit: Annotated[str | None, typer.Option("--unit", help="unit 角色所代表的单位编号")] = None,
    name: Annotated[str | None, typer.Option("--name", help="备注名（如持有人）")] = None,
    plan: PlanOpt = None,
    now: NowOpt = None,
) -> None:
    """创建令牌：令牌只显示这一次，数据库只保存其哈希。"""
    with user_errors():
        moment = parse_wall(now)
        with session_scope(engine()) as session:
            plan_id = current_plan(session, plan).id
            row, secret = create_token(
                session=session, role=role, plan_id=plan_id, now=moment, unit=unit, name=name
            )
    console.print(
        f"已创建令牌 {row.id}（{ROLE_NAMES[row.role]}{'：' + row.unit if row.unit else ''}）。"
        "请立即保存，之后无法再次查看：",
        highlight=False,
    )
    print(secret)


@token_app.command("list")
def list_tokens(json: JsonOpt = False) -> None:
    """列出令牌（不含令牌本身）：编号、前缀、角色、单位、创建与最近使用时间、是否已吊销。"""
    with user_errors(), session_scope(engine()) as session:
        rows = session.exec(select(ApiToken).order_by(col(ApiToken.id))).all()
    if json:
        print_json([r.model_dump(mode="json", exclude={"token_hash"}) for r in rows])
        return
    tz = "Asia/Shanghai"
    print_table(
        "API 令牌",
        ["编号", "前缀", "名称", "角色", "单位", "创建", "最近使用", "吊销"],
        [
            (
                r.id,
                r.prefix + "…",
                r.name,
                ROLE_NAMES.get(r.role, r.role),
                r.unit or "",
                local(r.created_at, tz),
                local(r.last_used_at, tz),
                local(r.revoked_at, tz),
            )
            for r in rows
        ],
    )


@token_app.command("revoke")
def revoke_token(
    token: Annotated[int, typer.Argument(help="令牌编号（见 duban token list）")],
    now: NowOpt = None,
) -> None:
    """吊销令牌：立即失效，记录保留。"""
    with user_errors():
        moment = parse_wall(now)
        with session_scope(engine()) as session:
            revoke(session=session, token_id=token, now=moment)
    console.print(f"令牌 {token} 已吊销。", highlight=False)

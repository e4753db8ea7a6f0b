"""`duban link create|list|revoke`: the units' personal portal links."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from sqlmodel import col, select

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    UserError,
    console,
    current_plan,
    engine,
    local,
    parse_wall,
    print_json,
    print_table,
    user_errors,
)
from duban.models import Occurrence, PortalLink, Task
from duban.models.db import session_scope
from duban.runtime import get_settings
from duban.tasks.access.links import issue_link, link_token, revoke_link

app = typer.Typer(help="单位门户链接（签名、有期限、可停用）。", no_args_is_help=True)


@app.command("create")
def create(
    unit: Annotated[str, typer.Option("--unit", help="单位编号")],
    occurrence: Annotated[
        int | None, typer.Option("--occurrence", help="只允许办理这一期次（更安全）")
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="有效天数")] = 14,
    plan: PlanOpt = None,
    now: NowOpt = None,
    json: JsonOpt = False,
) -> None:
    """为单位创建门户链接（提醒消息会自动附带链接；此命令用于补发）。"""
    settings = get_settings()
    with user_errors():
        moment = parse_wall(now)
        with session_scope(engine()) as session:
            plan_id = current_plan(session, plan).id
            if occurrence is not None:
                owner = session.exec(
                    select(Occurrence.unit)
                    .join(Task)
                    .where(Occurrence.id == occurrence, Task.plan_id == plan_id)
                ).first()
                if owner != unit:
                    raise UserError(
                        f"期次 {occurrence} 不存在或不属于单位“{unit}”。修正：用 duban schedule show 查看期次编号"
                    )
            link = issue_link(
                session=session,
                plan_id=plan_id,
                unit=unit,
                now=moment,
                valid_for=timedelta(days=days),
                created_by="cli",
                occurrence_id=occurrence,
            )
            path = f"/portal/l/{link_token(settings.signing_key(), link)}"
    base = (settings.portal_url or "").rstrip("/")
    if json:
        print_json(
            {
                "id": link.id,
                "unit": unit,
                "occurrence": occurrence,
                "expires_at": link.expires_at.isoformat(),
                "url": base + path,  # only a path while DUBAN_PORTAL_URL is not set
            }
        )
        return
    console.print(
        f"已创建链接 {link.id}（单位 {unit}，{days} 天内有效）。只发给该单位，不要公开：",
        highlight=False,
    )
    print(base + path)
    if not base:
        console.print(
            "未设置 DUBAN_PORTAL_URL：上面只有路径，请在前面加上门户地址。", highlight=False
        )


@app.command("list")
def list_links(plan: PlanOpt = None, json: JsonOpt = False) -> None:
    """列出门户链接（不含链接本身）：单位、范围、有效期、最近使用、是否停用。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        rows = session.exec(
            select(PortalLink).where(PortalLink.plan_id == header.id).order_by(col(PortalLink.id))
        ).all()
    if json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    tz = header.timezone
    print_table(
        "单位门户链接",
        ["编号", "单位", "期次", "来源", "创建", "到期", "最近使用", "停用"],
        [
            (
                r.id,
                r.unit,
                r.occurrence_id or "全部",
                r.created_by,
                local(r.created_at, tz),
                local(r.expires_at, tz),
                local(r.last_used_at, tz),
                local(r.revoked_at, tz),
            )
            for r in rows
        ],
    )


@app.command("revoke")
def revoke(
    link: Annotated[int, typer.Argument(help="链接编号（见 duban link list）")],
    now: NowOpt = None,
) -> None:
    """停用链接：立即失效（已打开的页面也随之失效），记录保留。"""
    with user_errors():
        moment = parse_wall(now)
        with session_scope(engine()) as session:
            revoke_link(session=session, link_id=link, now=moment)
    console.print(f"链接 {link} 已停用。", highlight=False)

"""`duban bulletin show|send|list`: the 督办通报 for a week or a month."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from duban.context import (
    JsonOpt,
    NowOpt,
    PlanOpt,
    UserError,
    channels,
    console,
    current_plan,
    engine,
    local,
    parse_now,
    print_json,
    print_table,
    user_errors,
)
from duban.models import Bulletin
from duban.models.db import session_scope
from duban.runtime import get_settings, send_bulletin
from duban.tasks.bulletin.period import BadPeriod, BulletinPeriod, parse
from duban.tasks.bulletin.render import markdown
from duban.tasks.bulletin.store import ROLES, content_for, listing, stored

app = typer.Typer(help="督办通报：逾期点名、红黄绿灯、排名与考核得分。", no_args_is_help=True)

WeekOpt = Annotated[
    str | None, typer.Option("--week", help="这一周（周一至周日）：其中任意一天，如 2022-06-27")
]
MonthOpt = Annotated[str | None, typer.Option("--month", help="这个月，如 2022-06")]
STATUS = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败"}
STATUS["uncertain"] = "可能已发送"


def _period(week: str | None, month: str | None) -> BulletinPeriod:
    try:
        return parse(week, month)
    except BadPeriod as exc:
        raise UserError(str(exc)) from None


@app.command()
def show(
    week: WeekOpt = None,
    month: MonthOpt = None,
    id: Annotated[
        int | None, typer.Option("--id", help="已发送通报的编号（见 duban bulletin list）")
    ] = None,
    plan: PlanOpt = None,
    now: NowOpt = None,
) -> None:
    """显示一期通报（Markdown）：已发送的原样显示；尚未发送的按当前台账生成预览（不保存）。"""
    with user_errors():
        period = _period(week, month) if id is None else None
        with session_scope(engine()) as session:
            if id is not None:
                row = session.get(Bulletin, id)
                if row is None:
                    raise UserError(f"通报 {id} 不存在。修正：用 duban bulletin list 查看编号")
                text = row.markdown
            else:
                assert period is not None
                header = current_plan(session, plan)
                found = stored(session, header.id, period)
                moment = parse_now(now)
                text = (
                    found.markdown
                    if found
                    else markdown(content_for(session, header, period, moment))
                )
    sys.stdout.write(text + "\n")


@app.command()
def send(
    week: WeekOpt = None,
    month: MonthOpt = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="发给谁：leaders,coordinators,units（缺省按计划的 bulletin.to）"),
    ] = None,
    plan: PlanOpt = None,
    now: NowOpt = None,
) -> None:
    """生成并发送一期通报（附 xlsx 和 HTML 报表），先存档、哈希记入台账再发送；同一期只存档一次，
    重复运行只补发尚未送达的接收单位（发送失败的重试，可能已发送的不重发）。"""
    with user_errors():
        period = _period(week, month)
        audience = [part.strip() for part in to.split(",")] if to else None
        for part in audience or []:
            if part not in ROLES:
                raise UserError(
                    f"--to 的值“{part}”无效。修正：使用 {','.join(ROLES)} 中的一个或几个"
                )
        moment = parse_now(now)
        settings = get_settings()
        transport = channels()
        if transport is None:
            raise UserError(
                "未设置 DUBAN_APPRISE_CONFIG 或 DUBAN_APPRISE_SECRET。修正：先配置通道再发送"
            )
        with session_scope(engine()) as session:
            plan_id = current_plan(session, plan).id
        offset = moment - datetime.now(UTC)
        row, made = send_bulletin(
            settings,
            transport,
            plan_id=plan_id,
            period=period,
            now=moment,
            clock=lambda: datetime.now(UTC) + offset,
            to=audience,
        )
    sent = [r for r in row.recipients if r["status"] == "sent"]
    said = "已生成并存档" if made else "此前已存档"
    console.print(
        f"通报 {row.id}（{row.title}）{said}，sha256 {row.sha256[:16]}…；"
        f"已送达 {len(sent)}/{len(row.recipients)} 个接收单位。",
        highlight=False,
    )
    for r in row.recipients:
        if r["status"] != "sent":
            console.print(
                f"  {r['name']}：{STATUS.get(r['status'], r['status'])} {r.get('error') or ''}",
                highlight=False,
            )


@app.command("list")
def list_(plan: PlanOpt = None, json: JsonOpt = False) -> None:
    """已存档的通报：编号、时段、生成与发送时间、接收单位和内容的 SHA-256。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        rows = listing(session, header.id)
    if json:
        print_json([r.model_dump(exclude={"markdown", "snapshot"}) for r in rows])
        return
    print_table(
        f"{header.title} · 督办通报（{len(rows)} 期）",
        ["编号", "时段", "标题", "生成时间", "发送时间", "送达", "SHA-256"],
        [
            (
                r.id,
                f"{r.cadence} {r.period}",
                r.title,
                local(r.composed_at, header.timezone),
                local(r.sent_at, header.timezone),
                f"{sum(x['status'] == 'sent' for x in r.recipients)}/{len(r.recipients)}",
                r.sha256[:16],
            )
            for r in rows
        ],
    )

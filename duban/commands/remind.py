"""`duban remind` (one sweep and dispatch) and `duban reminders list`."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlmodel import col, select

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
from duban.flows.events import publish, publish_for, reminder_events
from duban.models import Occurrence, Reminder, Task, Unit
from duban.models.db import session_scope
from duban.models.status import REMINDER_NAMES, Status
from duban.runtime import get_settings, send_outbox
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.opening import open_due

reminders_app = typer.Typer(help="督办提醒（发件箱）。", no_args_is_help=True)
STATUS_NAMES = REMINDER_NAMES


def remind(
    plan: PlanOpt = None,
    now: NowOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出将要发送的提醒，不写入、不发送")
    ] = False,
) -> None:
    """运行一次巡检，与定时巡检相同：打开已到开始时间的期次，按提醒策略写入发件箱，再通过 apprise
    发送。配合 --now 可重放计划年度中的任意一天。"""
    with user_errors():
        moment = parse_now(now)
        built = engine()
        with session_scope(built) as session:
            plan_id = current_plan(session, plan).id
            # first open what is due, as the scheduled sweep does (the same function)
            opened = [] if dry_run else open_due(session=session, plan_id=plan_id, now=moment)
            ids = [o.id or 0 for o in opened]
        publish_for(
            built,
            Status.OPEN,
            ids,
            actor="cli:remind",
            payload={"at": moment.isoformat()},
            flush=True,
        )
        with session_scope(built) as session:
            result = sweep(session=session, plan_id=plan_id, now=moment, dry_run=dry_run)
        if dry_run:
            print_table(
                f"将要发送的提醒（{len(result.due)} 条，未写入；尚未打开的期次不在其中）",
                ["期次", "阶段", "接收单位", "计划时间"],
                [
                    (s.occurrence_id, s.stage, s.recipient, s.planned_at.isoformat())
                    for s in result.due
                ],
            )
            return
        console.print(
            f"计划 {plan_id}：打开期次 {len(ids)} 个，到期提醒 {len(result.due)} 条，"
            f"新写入发件箱 {result.written} 条。",
            highlight=False,
        )
        transport = channels()
        if transport is None:
            console.print(
                "未设置 DUBAN_APPRISE_CONFIG 或 DUBAN_APPRISE_SECRET：提醒已在发件箱中等待，未发送。",
                highlight=False,
            )
            return
        worker = f"{socket.gethostname()}:{os.getpid()}"
        # with --now the whole run happens at that moment: sent_at is recorded on its clock too
        offset = moment - datetime.now(UTC)
        sent = send_outbox(
            get_settings(),
            transport,
            worker=worker,
            now=moment,
            clock=lambda: datetime.now(UTC) + offset,
        )
    publish(reminder_events(sent.deliveries, plan_id), flush=True)
    console.print(
        f"发送：{sent.messages} 条消息，{sent.sent} 条提醒已送达，{sent.retrying} 条待重试，"
        f"{sent.failed} 条失败。",
        highlight=False,
    )


@reminders_app.command("list")
def list_reminders(
    plan: PlanOpt = None,
    status: Annotated[
        str | None, typer.Option(help="pending|sent|failed|uncertain|sending")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """列出发件箱：每条提醒的阶段、接收单位、状态、尝试次数和错误。"""
    with user_errors(), session_scope(engine()) as session:
        header = current_plan(session, plan)
        if status and status not in STATUS_NAMES:
            raise UserError(f"状态“{status}”无效。修正：使用 {'|'.join(STATUS_NAMES)}")
        query = (
            select(Reminder, Task)
            .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .where(Task.plan_id == header.id)
            .order_by(col(Reminder.id))
        )
        if status:
            query = query.where(Reminder.status == status)
        rows = session.exec(query).all()
        names = {
            u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == header.id))
        }
    if json:
        print_json([{**r.model_dump(mode="json"), "task": t.code} for r, t in rows])
        return
    print_table(
        f"{header.title} · 督办提醒",
        ["编号", "任务", "阶段", "接收单位", "计划时间", "状态", "次数", "错误"],
        [
            (
                f"R{r.id}",
                t.title,
                r.stage,
                names.get(r.recipient, r.recipient),
                local(r.planned_at, header.timezone),
                STATUS_NAMES.get(r.status, r.status),
                r.attempts,
                r.error or "",
            )
            for r, t in rows
        ],
    )

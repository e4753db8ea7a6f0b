"""One flow run per occurrence of a key task: it opens the occurrence when its time comes.

The deployment of each task fires at its occurrences' opening moments (see
`deployments.build`). The run reads its `now` once, at its start, and opens every occurrence of its task whose
opening time has passed — so a run that starts late, or a missed one caught up by the
sweep, still opens the right occurrence, and only once.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)
from prefect.runtime import flow_run

from duban.channels import load_transport
from duban.settings import get_settings
from models import Plan
from models.db import engine_for, session_scope
from tasks import progress, queries
from tasks.dispatch import dispatch
from tasks.events import publish_for
from tasks.opening import open_due
from tasks.sweep import plan_clock, sweep


def _run_name() -> str:
    params = flow_run.parameters
    scheduled = flow_run.scheduled_start_time
    zone = ZoneInfo(params.get("timezone") or "Asia/Shanghai")
    day = (
        datetime.fromtimestamp(scheduled.timestamp(), zone).date().isoformat() if scheduled else ""
    )
    parts = [day, params.get("title") or params.get("task_code", ""), params.get("unit", "")]
    return " · ".join(p for p in parts if p)


@task
def open_occurrences(
    plan_id: str, task_code: str | None, now: datetime, run_id: str | None
) -> list[str]:
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        opened = open_due(
            session=session, plan_id=plan_id, task_code=task_code, now=now, flow_run_id=run_id
        )
        keys, ids = [o.key for o in opened], [o.id for o in opened if o.id]
    publish_for(engine, "open", ids, actor="duban-occurrence", payload={"at": now.isoformat()})
    return keys


@flow(name="duban-occurrence", flow_run_name=_run_name, log_prints=False)
def occurrence_flow(
    plan_id: str,
    task_code: str,
    title: str = "",
    unit: str = "",
    timezone: str = "Asia/Shanghai",
    now: datetime | None = None,
) -> list[str]:
    """打开到期的期次（交办责任单位）。`title`、`unit`、`timezone` 只用于给运行命名。"""
    moment = now or datetime.now(UTC)
    keys = open_occurrences(plan_id, task_code, moment, flow_run.id)
    get_run_logger().info("任务 %s 打开期次：%s", task_code, "、".join(keys) or "无")
    return keys


@task
def send_reminders(plan_id: str, now: datetime) -> dict[str, int]:
    """One reminder sweep into the outbox, then dispatch if a channel config is set."""
    settings = get_settings()
    engine = engine_for(settings.effective_database_url)
    with session_scope(engine) as session:
        written = sweep(session=session, plan_id=plan_id, now=now).written
    summary = {"written": written, "sent": 0, "failed": 0}
    transport = load_transport(settings)
    if transport is not None:
        result = dispatch(
            engine,
            transport,
            worker=f"duban-sweep:{socket.gethostname()}:{os.getpid()}",
            now=now,
            clock=lambda: datetime.now(UTC),
            lang=settings.lang,
        )
        summary.update(sent=result.sent, failed=result.failed)
    return summary


@task
def publish_progress(plan_id: str, now: datetime, opened: int, reminders: dict[str, int]) -> int:
    """The sweep's artifacts: indicator progress, overdue occurrences by unit, a summary."""
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        plan = session.get_one(Plan, plan_id)
        clock = plan_clock(plan)
        facts = queries.occurrence_facts(session, plan_id)
        names = queries.unit_names(session, plan_id)
        measured = queries.indicators(session, plan_id, now=now, clock=clock)
    late = queries.overdue(facts, clock=clock, now=now)
    for item in progress.indicator_progress(measured):
        create_progress_artifact(item.percent, key=item.key, description=item.description)
    create_table_artifact(
        progress.overdue_by_unit(late, names) or [{"责任单位": "（无）", "逾期项数": 0}],
        key="overdue-by-unit",
        description=f"{plan.title}：当前逾期的期次（按单位）",
    )
    create_markdown_artifact(
        progress.sweep_markdown(
            title=plan.title,
            now=now,
            zone=clock.zone,
            opened=opened,
            reminders=reminders,
            summary=queries.summary(facts, by="unit", names=names, clock=clock, now=now),
            overdue=len(late),
        ),
        key="sweep-summary",
        description=f"{plan.title}：巡检摘要",
    )
    return len(measured)


@flow(name="duban-sweep", log_prints=False)
def sweep_flow(plan_id: str, now: datetime | None = None) -> list[str]:
    """巡检：补开所有已到开始时间的期次（停机期间错过的也会补上），再发送到期的督办提醒，
    最后更新界面上的指标进度、逾期表和巡检摘要。"""
    moment = now or datetime.now(UTC)
    keys = open_occurrences(plan_id, None, moment, None)
    reminders = send_reminders(plan_id, moment)
    publish_progress(plan_id, moment, len(keys), reminders)
    get_run_logger().info(
        "巡检打开期次 %d 个；提醒写入 %d 条，发送 %d 条，失败 %d 条",
        len(keys),
        reminders["written"],
        reminders["sent"],
        reminders["failed"],
    )
    return keys


if __name__ == "__main__":
    sweep_flow(plan_id="edu-2022")

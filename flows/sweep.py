"""The sweep (巡检): open what is due, write and send the due reminders, update the artifacts,
and keep the plan's next runs scheduled."""

from __future__ import annotations

import os
import socket
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.runtime import flow_run

from duban import runtime
from duban.flows.artifacts import show_progress
from duban.flows.events import publish, reminder_events, stage_events
from duban.flows.occurrence import open_occurrences, scheduled_moment
from duban.flows.runs import plan_runs, schedule_runs
from duban.models import Plan
from duban.models.db import session_scope
from duban.tasks.audit import indicators, progress, queries
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.timeline.clock import TimeSource
from duban.tasks.work import steps
from duban.tasks.work.anchor import AnchorLog, head

LATE = "逾期"  # what the runs list shows of an occurrence past its deadline (and grace)
ESCALATED = "已升级"  # … and of one whose lateness went up the chain


@task
def send_reminders(plan_id: str, now: datetime, time: TimeSource) -> dict[str, int]:
    """One reminder sweep into the outbox, then dispatch if a channel config is set."""
    settings = runtime.get_settings()
    engine = runtime.engine(settings)
    with session_scope(engine) as session:
        swept = sweep(session=session, plan_id=plan_id, now=now)
    with session_scope(engine) as session:
        publish(stage_events(session, swept.new))
    summary = {"written": swept.written, "sent": 0, "failed": 0}
    transport = runtime.load_transport(settings)
    if transport is not None:
        result = runtime.send_outbox(
            settings,
            transport,
            worker=f"duban-sweep:{socket.gethostname()}:{os.getpid()}",
            now=now,
            clock=time.now,
        )
        summary.update(sent=result.sent, failed=result.failed)
        publish(reminder_events(result.deliveries, plan_id))
    return summary


def mark_late_runs(overdue: list[int]) -> int:
    """Tag the runs of the occurrences overdue now (逾期) and of those escalated (已升级), so
    that the UI's runs list shows who is late; a run keeps its tags once it completes.
    Only runs missing a tag are written. How many were."""
    with session_scope(runtime.engine()) as session:
        runs = queries.runs_of(session, overdue)
    return tag_runs({run: {LATE, ESCALATED} if up else {LATE} for run, up in runs.items()})


def wake_stale(plan_id: str) -> int:
    """Wake the plan's waiting runs whose wait the ledger has moved past: a report or review
    made while the run was between two waits (a wake then finds it running, not waiting, and
    cannot resume it), or work closed elsewhere. Woken with an empty form, a run reads the
    ledger and waits again under the right key, or ends. How many were woken."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
        FlowRunFilterTags,
    )
    from prefect.client.schemas.objects import StateType

    waiting = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])),
        tags=FlowRunFilterTags(all_=[f"plan:{plan_id}"]),
    )
    woken = 0
    with get_client(sync_client=True) as client:
        runs, offset = [], 0
        while page := client.read_flow_runs(flow_run_filter=waiting, limit=200, offset=offset):
            runs += page
            offset += len(page)
        with session_scope(runtime.engine()) as session:
            stale = [
                run.id
                for run in runs
                if (key := run.state and run.state.state_details.pause_key)
                and not key.startswith(
                    steps.expected_wait(session, str(run.id), run.parameters) or "\0"
                )
            ]
        for run_id in stale:
            if client.resume_flow_run(run_id, run_input={}).status.value == "ACCEPT":
                woken += 1
    return woken


def tag_runs(tags: dict[str, set[str]]) -> int:
    """Add the tags to the runs that lack them (one read per 200 runs, one write per change)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    written, ids = 0, [UUID(run) for run in tags]
    with get_client(sync_client=True) as client:
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            for run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=chunk)), limit=200
            ):
                want = tags[str(run.id)]
                if not want <= set(run.tags):  # first, where the runs list shows them
                    rest = [t for t in run.tags if t not in want]
                    client.update_flow_run(run.id, tags=[*sorted(want), *rest])
                    written += 1
    return written


@task
def publish_progress(
    plan_id: str, now: datetime, opened: int, reminders: dict[str, int]
) -> list[int]:
    """The sweep's artifacts: indicator progress, overdue occurrences by unit, a summary.
    The overdue occurrences' ids."""
    engine = runtime.engine()
    with session_scope(engine) as session:
        plan = session.get_one(Plan, plan_id)
        clock = plan_clock(plan)
        facts = queries.occurrence_facts(session, plan_id)
        names = queries.unit_names(session, plan_id)
        measured = indicators.indicators(session, plan_id, now=now, clock=clock)
    late = queries.overdue(facts, clock=clock, now=now)
    show_progress(progress.indicator_progress(measured, names))
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
    return [row.facts.id for row in late]


@task
def anchor_ledger(time: TimeSource) -> str:
    """Record the ledger's head outside the database (`tasks/work/anchor.py`): a line of the
    append-only anchor file, and a version of the `ledger-anchor` artifact in Prefect's own
    database, where an auditor reads the history of heads and copies one down."""
    settings = runtime.get_settings()
    with session_scope(runtime.engine(settings)) as session:
        now = head(session, time.wall())
    AnchorLog(settings.effective_anchor_file).append(now)
    create_markdown_artifact(
        key="ledger-anchor",
        markdown=(
            f"**台账锚点** `{now}`\n\n{now.rows} 条记录，最后一条的哈希 `{now.hash}`。"
            "日后用 `duban audit verify --anchor 条数:哈希` 核对数据库仍含这些记录。"
        ),
        description="台账锚点（条数:哈希）",
    )
    return str(now)


@task
def top_up(plan_id: str, now: datetime, time: TimeSource) -> dict[str, int]:
    """Keep the plan's next runs scheduled: the occurrences opening within the horizon, and
    the next sweeps (the chain of sweeps continues by itself)."""
    engine = runtime.engine()
    with session_scope(engine) as session:
        planned = plan_runs(session=session, plan_id=plan_id, time=time, now=now)
    return schedule_runs(plan_id, planned)


def _sweep_name() -> str:
    """`巡检 2022-06-28 09:00`: the moment it sweeps, in the plan's time zone (a planned run
    keeps the name it was created with)."""
    if str(flow_run.name or "").startswith("巡检 "):
        return str(flow_run.name)
    moment = flow_run.parameters.get("now")
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if not isinstance(moment, datetime):
        moment = scheduled_moment(runtime.get_settings().time(), None)
    zone = ZoneInfo(flow_run.parameters.get("timezone") or "Asia/Shanghai")
    return f"巡检 {moment.astimezone(zone):%Y-%m-%d %H:%M}"


@flow(name="duban-sweep", flow_run_name=_sweep_name, log_prints=False)
def sweep_flow(
    plan_id: str, now: datetime | None = None, timezone: str = "Asia/Shanghai"
) -> list[str]:
    """巡检：补开所有已到开始时间的期次（停机期间错过的也会补上），再发送到期的督办提醒，
    最后更新界面上的指标进度、逾期表和巡检摘要。"""
    time = runtime.get_settings().time()
    moment = scheduled_moment(time, now)
    opening = open_occurrences(plan_id, None, moment, None, time.resolution)
    reminders = send_reminders(plan_id, moment, time)
    overdue = publish_progress(plan_id, moment, len(opening.keys), reminders)
    mark_late_runs(overdue)
    anchor_ledger(time)
    woken = wake_stale(plan_id)
    if woken:
        get_run_logger().info("唤醒 %d 个错过通知的等待中运行", woken)
    planned = top_up(plan_id, moment, time)
    get_run_logger().info(
        "已安排后续运行：新建 %d 个，改期 %d 个，删除 %d 个",
        planned["created"],
        planned["moved"],
        planned["deleted"],
    )
    get_run_logger().info(
        "巡检打开期次 %d 个；提醒写入 %d 条，发送 %d 条，失败 %d 条",
        len(opening.keys),
        reminders["written"],
        reminders["sent"],
        reminders["failed"],
    )
    return opening.keys


if __name__ == "__main__":
    sweep_flow(plan_id="edu-2022")

"""One flow run per occurrence of a key task: it opens the occurrence when its time comes.

The deployment of each task fires at its occurrences' opening moments (see
`deployments.build`). The run reads its `now` once, at its start, and opens every occurrence of its task whose
opening time has passed — so a run that starts late, or a missed one caught up by the
sweep, still opens the right occurrence, and only once.
"""

from __future__ import annotations

import functools
import os
import socket
import typing
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
)
from prefect.flow_runs import suspend_flow_run
from prefect.runtime import deployment, flow_run
from sqlalchemy import func
from sqlmodel import col, select

from duban.channels import load_transport
from duban.settings import get_settings
from flows import inputs
from models import Occurrence, Plan, StatusEvent, Task
from models.db import engine_for, session_scope
from tasks import actions, progress, queries
from tasks.dispatch import dispatch
from tasks.events import publish, publish_for, reminder_events, stage_events
from tasks.opening import open_due
from tasks.sweep import plan_clock, sweep


def period_label(moment: datetime, timezone: str) -> str:
    """2022Q2: the quarter, in the plan's zone, of the moment an occurrence opens."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def _run_name() -> str:
    """`2022Q2 · 开展安全稳定隐患排查治理 · 安全稳定处`: the period, the task, the unit."""
    params = flow_run.parameters
    moment = params.get("now") or flow_run.scheduled_start_time
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    zone = params.get("timezone") or "Asia/Shanghai"
    period = period_label(moment, zone) if isinstance(moment, datetime) else ""
    parts = [period, params.get("title") or params.get("task_code", ""), params.get("unit", "")]
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
    publish_for(engine, "open", ids, actor="duban-flow", payload={"at": now.isoformat()})
    return keys


@task
def run_occurrence(run_id: str) -> tuple[int, str, str] | None:
    """(id, kind, key) of the occurrence this run opened — the latest, if it caught up several."""
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        row = session.exec(
            select(Occurrence, Task)
            .join(Task)
            .where(Occurrence.flow_run_id == run_id, col(Occurrence.parent_id).is_(None))
            .order_by(col(Occurrence.opens_at).desc())
        ).first()
    return (row[0].id or 0, row[1].kind, row[0].key) if row else None


@task
def progress_of(occurrence_id: int) -> tuple[str, int, int]:
    """(status, submissions, returns) as the ledger says now."""
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        status = session.get_one(Occurrence, occurrence_id).status
        counts = dict(
            session.exec(
                select(StatusEvent.to_status, func.count())
                .where(StatusEvent.occurrence_id == occurrence_id)
                .group_by(col(StatusEvent.to_status))
            ).all()
        )
    return status, counts.get("submitted", 0), counts.get("returned", 0)


@task
def record(occurrence_id: int, step: str, data: dict[str, Any], kind: str, now: datetime) -> str:
    """Apply one form to the occurrence; "" when done (or done already), else why it was refused."""
    engine = engine_for(get_settings().effective_database_url)
    actor = f"prefect-ui:{flow_run.id}"
    done = None  # stays None when another path (CLI, API) got there first
    try:
        with session_scope(engine) as session:
            if step == "report":
                done = actions.submit_report(
                    session=session,
                    occurrence_id=occurrence_id,
                    actor=actor,
                    now=now,
                    form=kind,
                    data=data,
                    value=None if kind == RECTIFICATION else inputs.measured_value(kind, data),
                )
            elif session.get_one(Occurrence, occurrence_id).status == "submitted":
                done = actions.review(
                    session=session,
                    occurrence_id=occurrence_id,
                    actor=actor,
                    now=now,
                    accept=bool(data["accept"]),
                    reason=data.get("reason"),
                )
    except actions.ActionRefused as exc:
        return str(exc)
    if done is not None:
        publish_for(engine, done.to_status, [occurrence_id], actor=actor)
    return ""


def follow(occurrence_id: int, kind: str, now: datetime | None) -> str:
    """Wait (suspended, holding no process) for the unit's report and the coordinator's review.

    After each resume Prefect runs the flow again from the top: every step reads the ledger
    first, and every wait has a key derived from the ledger (how many reports, how many returns,
    which attempt), so a form already answered is read back instead of asked again.
    """
    logger = get_run_logger()
    while True:
        status, submissions, returns = progress_of(occurrence_id)
        if status not in ("open", "acknowledged", "returned", "submitted"):
            return status
        step = "review" if status == "submitted" else "report"
        form = inputs.Review if step == "review" else inputs.report_form(kind)
        counter = submissions if step == "review" else returns
        for attempt in range(100):
            data = suspend_flow_run(
                wait_for_input=form, key=f"{step}-{counter}-{attempt}", timeout=None
            )
            refused = record(
                occurrence_id,
                step,
                data.model_dump(exclude={"metadata"}) if data else {},
                kind,
                now or datetime.now(UTC),
            )
            if not refused:
                break
            logger.warning("输入未被接受（%s），继续等待：%s", step, refused)


@task
def adopt(occurrence_id: int, run_id: str) -> str:
    """This run follows that occurrence (a 整改 started by its inspection's run)."""
    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        occurrence = session.get_one(Occurrence, occurrence_id)
        occurrence.flow_run_id = run_id
        session.add(occurrence)
    return RECTIFICATION


@task
def start_rectifications(occurrence_id: int, parameters: dict[str, Any]) -> list[str]:
    """One run of this deployment per 整改 the accepted inspection opened, each following its
    own occurrence (its own deadline, reminders and forms). Safe to repeat after a resume:
    the idempotency key makes Prefect hand back the run it already made."""
    from prefect.deployments import run_deployment

    engine = engine_for(get_settings().effective_database_url)
    with session_scope(engine) as session:
        children = session.exec(
            select(Occurrence)
            .where(Occurrence.parent_id == occurrence_id)
            .order_by(col(Occurrence.id))
        ).all()
        started = []
        for child in children:
            run = run_deployment(
                deployment.id,
                parameters={
                    **parameters,
                    "title": f"{parameters['title']}（整改：{child.subject}）",
                    "occurrence_id": child.id,
                },
                timeout=0,
                as_subflow=False,
                idempotency_key=f"duban-rectification-{child.id}",
            )
            child.flow_run_id = str(run.id)
            session.add(child)
            started.append(str(run.id))
    return started


RECTIFICATION = "rectification"  # the form kind of a 整改: what was done, with evidence


def follow_occurrence(
    plan_id: str,
    task_code: str,
    title: str = "",
    unit: str = "",
    timezone: str = "Asia/Shanghai",
    now: datetime | None = None,
    wait_for_input: bool = True,
    occurrence_id: int | None = None,
) -> list[str]:
    """The body every kind's flow runs: open what is due, then wait (suspended, holding no
    process) for the unit's report and the coordinator's review in the kind's forms; an accepted
    inspection then starts one run per 整改. `title`, `unit`, `timezone` only name the run;
    `occurrence_id` is how an inspection's run hands a 整改 to a run of its own."""
    logger = get_run_logger()
    if occurrence_id is not None:  # a 整改 started by its inspection's run
        kind = adopt(occurrence_id, flow_run.id)
        if wait_for_input and deployment.id:
            logger.info("整改期次 %s 结束：%s", occurrence_id, follow(occurrence_id, kind, now))
        return []
    moment = now or datetime.now(UTC)
    keys = open_occurrences(plan_id, task_code, moment, flow_run.id)
    logger.info("任务 %s 打开期次：%s", task_code, "、".join(keys) or "无")
    # only a deployment's run can be suspended and resumed by its runner or worker
    if wait_for_input and deployment.id:
        mine = run_occurrence(flow_run.id)
        if mine is not None:
            outcome = follow(mine[0], mine[1], now)
            logger.info("期次 %s 结束：%s", mine[2], outcome)
            if outcome == "accepted" and mine[1] == "inspection":
                params = {
                    "plan_id": plan_id,
                    "task_code": task_code,
                    "title": title or task_code,
                    "unit": unit,
                    "timezone": timezone,
                    "now": now,
                }
                runs = start_rectifications(mine[0], params)
                if runs:
                    logger.info("检查发现的问题已交办整改：%s 项，各有自己的运行", len(runs))
    return keys


# One flow per kind of task, so the UI lists (and filters) runs by what the work is; they share
# the body above, whose steps differ by kind through the forms and what follows acceptance.
KIND_FLOWS = {
    "inspection": "检查·督查·排查：交办 → 单位自查报告（含发现的问题、佐证）→ 审核（通过或退办）"
    " → 每个问题一项整改，各有自己的运行、时限和提醒 → 整改全部通过后办结",
    "evaluation": "评估·评选·评定·验收·认定：交办 → 评定标准、申报/候选名单、评分、评定结果"
    "（必须恰好等于名额，且在候选名单中）→ 审核；评定数计入指标",
    "recruitment": "引进·招聘·选拔：交办 → 发布岗位、报名、入围、面试、录用人数 → 审核；"
    "录用人数计入指标，与名额对照",
    "general": "培训·建设·活动等：交办 → 完成情况说明、佐证、累计完成数 → 审核；累计数计入指标",
}


def flow_kind(task_kind: str) -> str:
    """The flow a task's kind runs under: its own, or general (training, construction, …)."""
    return task_kind if task_kind in KIND_FLOWS else "general"


# resolved once, here: the parameter model Prefect builds in a run's own process reads the
# annotations through the kinds' wrappers and cannot see this module's names then
follow_occurrence.__annotations__ = typing.get_type_hints(follow_occurrence)


def _kind_flow(kind: str) -> Any:
    @functools.wraps(follow_occurrence)  # Prefect reads the parameters through __wrapped__
    def run(*args: Any, **kwargs: Any) -> list[str]:
        return follow_occurrence(*args, **kwargs)

    # the deployment's entrypoint is `flows.occurrence.<kind>_flow`: the name must match
    run.__name__ = run.__qualname__ = f"{kind}_flow"
    return flow(
        name=f"duban-{kind}",
        flow_run_name=_run_name,
        description=KIND_FLOWS[kind],
        log_prints=False,
    )(run)


KIND_FLOW_OBJECTS = {kind: _kind_flow(kind) for kind in KIND_FLOWS}
# module attributes, because deployments name their entrypoint by module path
inspection_flow = KIND_FLOW_OBJECTS["inspection"]
evaluation_flow = KIND_FLOW_OBJECTS["evaluation"]
recruitment_flow = KIND_FLOW_OBJECTS["recruitment"]
general_flow = KIND_FLOW_OBJECTS["general"]


@task
def send_reminders(plan_id: str, now: datetime) -> dict[str, int]:
    """One reminder sweep into the outbox, then dispatch if a channel config is set."""
    settings = get_settings()
    engine = engine_for(settings.effective_database_url)
    with session_scope(engine) as session:
        swept = sweep(session=session, plan_id=plan_id, now=now)
    with session_scope(engine) as session:
        publish(stage_events(session, swept.new))
    summary = {"written": swept.written, "sent": 0, "failed": 0}
    transport = load_transport(settings)
    if transport is not None:
        result = dispatch(
            engine,
            transport,
            worker=f"duban-sweep:{socket.gethostname()}:{os.getpid()}",
            now=now,
            clock=lambda: datetime.now(UTC),
            lang=settings.lang,
            portal=settings.link_maker(),
        )
        summary.update(sent=result.sent, failed=result.failed)
        publish(reminder_events(result.deliveries, plan_id))
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

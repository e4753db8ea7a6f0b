"""One flow run per occurrence of a key task: it opens the occurrence when its time comes,
then waits — suspended, holding no process — for the unit's report and the coordinator's review.

Duban creates each occurrence's run ahead of time, bound to it by `occurrence_id` and named by
its period (`flows.runs`). The run reads its moment once, at its start: the moment it was
scheduled for (through a replay's clock) if it is on time, else the clock's now. A run started
by hand from a deployment, without an occurrence, opens whatever of its task is due and follows
the latest open occurrence no run follows yet; each other one gets a run of its own, so that
waking a run can only ever mean its own occurrence.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.flow_runs import suspend_flow_run
from prefect.runtime import deployment, flow_run

from duban import runtime
from duban.flows import inputs, rollup
from duban.flows.events import publish_for
from duban.flows.naming import KIND_FLOWS, occurrence_key, period_label, run_name
from duban.models import Occurrence
from duban.models.db import session_scope
from duban.models.status import Status
from duban.tasks.audit.queries import unit_names
from duban.tasks.timeline.clock import TimeSource
from duban.tasks.work import actions, steps

LATE_AFTER = timedelta(minutes=2)  # a scheduled run that starts later than this is "late"


def scheduled_moment(time: TimeSource, now: datetime | None) -> datetime:
    """The plan moment this run stands for: `now` if given; else its scheduled start (through a
    replay's clock), when it started within LATE_AFTER of it; else the clock's now. A run on
    schedule acts at the moment it was scheduled for, not the seconds its process took to start
    — which a replay compresses into days."""
    if now is not None:
        return now
    scheduled = scheduled_start()
    if scheduled is not None and on_schedule(time):
        return time.plan_at(scheduled)
    return time.now()


def scheduled_start() -> datetime | None:
    """When this run was scheduled to start, as a plain aware datetime (Prefect hands out a
    pendulum DateTime, whose differences do not divide by a timedelta)."""
    scheduled = flow_run.scheduled_start_time
    return datetime.fromtimestamp(scheduled.timestamp(), UTC) if scheduled else None


def on_schedule(time: TimeSource) -> bool:
    scheduled = scheduled_start()
    return scheduled is not None and time.wall() - scheduled <= LATE_AFTER


def _run_name() -> str:
    """A bound run keeps the name it was created with; a run started by hand is named by its
    moment's period until it knows its occurrence (it renames itself then)."""
    params = flow_run.parameters
    if params.get("occurrence_id") is not None and flow_run.name:
        return str(flow_run.name)
    moment = params.get("now")
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if not isinstance(moment, datetime):
        moment = scheduled_moment(runtime.get_settings().time(), None)
    zone = params.get("timezone") or "Asia/Shanghai"
    return run_name(
        period_label(moment, zone),
        params.get("title") or params.get("task_code", ""),
        params.get("unit", ""),
    )


def open_occurrences(
    plan_id: str,
    task_code: str | None,
    now: datetime,
    run_id: str | None,
    on_time: timedelta,
    occurrence_id: int | None = None,
    period: str | None = None,
) -> steps.Opening:
    """Open what is due and claim what this run follows (`steps.open_and_claim`); then tell
    Prefect's event feed what opened."""
    engine = runtime.engine()
    with session_scope(engine) as session:
        opening = steps.open_and_claim(
            session,
            plan_id=plan_id,
            task_code=task_code,
            now=now,
            run_id=run_id,
            on_time=on_time,
            occurrence_id=occurrence_id,
            period=period,
        )
    publish_for(
        engine, Status.OPEN, opening.opened, actor="duban-flow", payload={"at": now.isoformat()}
    )
    return opening


def progress_of(occurrence_id: int) -> steps.Progress:
    with session_scope(runtime.engine()) as session:
        return steps.progress(session, occurrence_id)


@task
def record(occurrence_id: int, step: str, data: dict[str, Any], kind: str, now: datetime) -> str:
    """Apply one form to the occurrence; "" when done (or done already), else why it was refused."""
    engine = runtime.engine()
    actor = f"prefect-ui:{flow_run.id}"
    try:
        with session_scope(engine) as session:
            done = steps.apply_form(
                session,
                occurrence_id=occurrence_id,
                step=step,
                data=data,
                kind=kind,
                actor=actor,
                now=now,
            )
    except actions.ActionRefused as exc:
        return str(exc)
    if done is not None:
        publish_for(engine, done.to_status, [occurrence_id], actor=actor)
    return ""


def follow(occurrence_id: int, kind: str, time: TimeSource, now: datetime | None) -> str:
    """Wait (suspended, holding no process) for the unit's report and the coordinator's review.

    After each resume Prefect runs the flow again from the top: every step reads the ledger
    first, and every wait has a key derived from the ledger (how many reports, how many returns,
    which attempt), so a form already answered is read back instead of asked again. A form is
    recorded at the clock's now (a replay's, live the system's) unless the run was given `now`.
    """
    logger = get_run_logger()
    while True:
        now_at = progress_of(occurrence_id)
        step = now_at.step
        if step is None:
            return now_at.status
        form = inputs.Review if step == "review" else inputs.report_form(kind)

        def ask(attempt: int, form: Any = form, key: str = f"{step}-{now_at.counter}") -> Any:
            return suspend_flow_run(wait_for_input=form, key=f"{key}-{attempt}", timeout=None)

        def apply(data: Any, step: str = step) -> str:
            values = data.model_dump(exclude={"metadata"}) if data else {}
            refused = record(occurrence_id, step, values, kind, now or time.now())
            if refused:
                logger.warning("输入未被接受（%s），继续等待：%s", step, refused)
            return refused

        steps.take_input(
            ask,
            apply,
            what=f"期次 {occurrence_id} 的{'审核' if step == 'review' else '报送'}",
            fix="用 duban submit / duban review 或单位门户办理，再重新运行本部署",
        )


@task
def hand_over(occurrence_ids: list[int], parameters: dict[str, Any]) -> list[str]:
    """One run of this deployment per occurrence, each following its own (its own deadline,
    reminders and forms): the 整改 an accepted inspection opened, or the occurrences a catch-up
    opened beside this run's own. Safe to repeat after a resume: the idempotency key makes
    Prefect hand back the run it already made."""
    from prefect.deployments import run_deployment

    if not occurrence_ids:
        return []
    engine = runtime.engine()
    with session_scope(engine) as session:
        occurrences = [session.get_one(Occurrence, i) for i in occurrence_ids]
        names = unit_names(session, parameters["plan_id"])
    started = []
    for occurrence in occurrences:
        title = parameters["title"]
        if occurrence.subject:
            title = f"{title}（整改：{occurrence.subject}）"
        period = period_label(occurrence.opens_at, parameters["timezone"])
        run = run_deployment(
            deployment.id,
            parameters={**parameters, "title": title, "occurrence_id": occurrence.id},
            flow_run_name=run_name(period, title, names.get(occurrence.unit, occurrence.unit)),
            timeout=0,
            as_subflow=False,
            idempotency_key=occurrence_key(parameters["plan_id"], occurrence.id or 0),
        )
        with session_scope(engine) as session:
            steps.bind_run(session, occurrence.id or 0, str(run.id))
        started.append(str(run.id))
    return started


def reviewer(
    params: dict[str, Any], time: TimeSource, now: datetime | None
) -> Callable[[int, dict[str, Any]], str]:
    """How a roll-up applies one unit's review: as the unit's own run would, handing an
    accepted inspection's 整改 to runs of their own."""

    def review(occurrence_id: int, answer: dict[str, Any]) -> str:
        refused = record(occurrence_id, "review", answer, "", now or time.now())
        if not refused and answer.get("accept"):
            hand_over(rectifications_of(occurrence_id), params)
        return str(refused)

    return review


def rectifications_of(occurrence_id: int) -> list[int]:
    with session_scope(runtime.engine()) as session:
        return steps.rectifications_of(session, occurrence_id)


def rename(run_id: str, name: str) -> None:
    """A run is named by its occurrence's period, known only once it has found it."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.update_flow_run(UUID(run_id), name=name)


def follow_occurrence(
    plan_id: str,
    task_code: str,
    title: str = "",
    unit: str = "",
    timezone: str = "Asia/Shanghai",
    now: datetime | None = None,
    wait_for_input: bool = True,
    occurrence_id: int | None = None,
    period: str | None = None,
) -> list[str]:
    """The body every kind's flow runs: open the occurrence when its time has come, then wait
    (suspended, holding no process) for the unit's report and the coordinator's review in the
    kind's forms; an accepted inspection then starts one run per 整改. `occurrence_id` binds
    the run to its occurrence; `period` makes it the roll-up of a task-period given to several
    units (分办, `flows.rollup`); `title`, `unit`, `timezone` name the runs it hands work to."""
    logger = get_run_logger()
    time = runtime.get_settings().time()
    params = {
        "plan_id": plan_id,
        "task_code": task_code,
        "title": title or task_code,
        "unit": unit,
        "timezone": timezone,
        "now": now,
    }
    served = wait_for_input and bool(deployment.id)  # only a deployment's run can be resumed
    moment = scheduled_moment(time, now)
    # a run on its own schedule is its occurrence's opening, and records it at that moment
    # (its runs are paced, so it may start a little after); otherwise what happened, when
    bound = occurrence_id is not None or period is not None
    on_time = timedelta.max if bound and on_schedule(time) else time.resolution
    opening = open_occurrences(
        plan_id, task_code, moment, flow_run.id, on_time, occurrence_id, period
    )
    logger.info("任务 %s 打开期次：%s", task_code, "、".join(opening.keys) or "无")
    if period is not None:
        if served and opening.group:
            label = period_label(moment, timezone)
            outcome = rollup.follow_period(
                plan_id, task_code, period, label, time, now, reviewer(params, time, now)
            )
            logger.info("分办期次 %s 结束：%s", period, outcome)
        return opening.keys
    if served and opening.others:
        hand_over(opening.others, params)
        logger.info("另有 %d 个未跟踪的期次，各自交给新的运行", len(opening.others))
    mine = opening.mine
    if mine is None:
        if occurrence_id is not None:
            logger.info("期次 %s 未到开始时间或已不再等待办理，本次运行不做任何事", occurrence_id)
        return opening.keys
    if occurrence_id is None:  # started by hand: named by the occurrence it found
        name = run_name(period_label(mine.opens_at, timezone), params["title"], unit)
        if name != flow_run.name:
            rename(flow_run.id, name)
    if served:
        outcome = follow(mine.id, mine.kind, time, now)
        logger.info("期次 %s 结束：%s", mine.key, outcome)
        if outcome == Status.ACCEPTED and mine.kind == "inspection":
            runs = hand_over(rectifications_of(mine.id), params)
            if runs:
                logger.info("检查发现的问题已交办整改：%s 项，各有自己的运行", len(runs))
    return opening.keys


# resolved once, here: the parameter model Prefect builds in a run's own process reads the
# annotations through the kinds' wrappers and cannot see this module's names then
follow_occurrence.__annotations__ = typing.get_type_hints(follow_occurrence)


def _kind_flow(kind: str) -> Any:
    @functools.wraps(follow_occurrence)  # Prefect reads the parameters through __wrapped__
    def run(*args: Any, **kwargs: Any) -> list[str]:
        return follow_occurrence(*args, **kwargs)

    # the deployment's entrypoint is `duban.flows.occurrence.<kind>_flow`: the name must match
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

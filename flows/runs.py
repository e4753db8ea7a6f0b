"""The flow runs of an imported plan, created by Duban ahead of time and named for people.

Prefect's scheduler names the runs it creates at random ("brawny-crow") and a cron cannot
follow the official calendar (调休 Saturdays, holidays). So Duban creates each run itself, as a
Scheduled run of its deployment at the wall moment its time comes:
- one per occurrence, named `2022Q2 · 开展安全稳定隐患排查治理 · 安全稳定处`, bound to the
  occurrence by a parameter and keyed `duban-<plan>-occurrence-<id>`;
- one per sweep moment — every 15 minutes from 08:00 to 18:45 on official workdays; a replay
  sweeps every fifth workday's morning — named `巡检 2022-06-28 09:00`.
Idempotent by key: planning again creates nothing twice; a run that would now start before its
occurrence opens (the opening moved later) is rescheduled; a cancelled occurrence loses its
run. Planned a horizon ahead, and topped up by every sweep and by `duban serve`/`duban deploy`
at their start, so the UI lists the next weeks, not a year.

Paced: runs of occurrences opening at the same moment start PACE apart, the soonest due
first. The sweep opens them all on time in the ledger; their runs follow at the pace the
machine can start processes — so that the run a unit's report wakes never waits behind a
queue of forty (or ten thousand) openings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from duban.flows.naming import flow_kind, occurrence_key, period_key, period_label, run_name
from duban.models import Occurrence, Plan, Task, Unit
from duban.models.status import Duty, Status
from duban.tasks.bulletin.period import issues_after
from duban.tasks.timeline.calendar import WorkCalendar
from duban.tasks.timeline.clock import Replay, TimeSource
from duban.tasks.timeline.schedules import live_sweeps, nominal_dates, replay_sweeps

HORIZON = timedelta(days=35)  # plan time: occurrences opening this soon get their runs
SWEEPS_AHEAD = 8  # live sweep runs kept scheduled ahead: two hours of working time
PACE = timedelta(
    seconds=4
)  # what two cores keep up with: a run costs ~3 CPU-s here, and its server calls
REPLAY_SWEEP_WORKDAYS = 5  # a replayed year is swept every fifth workday (~50 runs a year)


@dataclass(frozen=True)
class PlannedRun:
    flow: str  # the deployment's flow: a kind's, or sweep
    deployment: str  # its name, e.g. edu-2022-T-aq-paicha
    name: str
    at: datetime  # the earliest it may start, wall time (UTC)
    key: str  # Prefect's idempotency key: one run per key, ever
    parameters: dict[str, Any]
    paced: bool = True  # starts at least PACE after the previous paced run


@dataclass(frozen=True)
class RunPlan:
    runs: list[PlannedRun]
    dropped: list[str]  # keys of runs whose occurrence was cancelled
    wall: datetime  # when it was planned (wall time): the pace counts from here


def plan_runs(*, session: Session, plan_id: str, time: TimeSource, now: datetime) -> RunPlan:
    """The runs the plan needs within the horizon from `now` (plan time): one per occurrence of
    a task given to one unit; one per period of a task given to several (分办: its roll-up)."""
    plan = session.get_one(Plan, plan_id)
    names = {u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan_id))}
    tasks = {t.id: t for t in session.exec(select(Task).where(Task.plan_id == plan_id))}
    per_year = {tid: len(nominal_dates(t.schedule, plan.year)) for tid, t in tasks.items()}
    rows = session.exec(  # occurrences alone: their tasks' JSON is read once, above
        select(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(
            Task.plan_id == plan_id,
            Occurrence.duty == Duty.LEAD,
            col(Occurrence.opens_at) <= now + HORIZON,
            col(Occurrence.opens_at) > now - HORIZON,
            col(Occurrence.status).in_((Status.SCHEDULED, Status.OPEN, Status.CANCELLED)),
        )
        .order_by(col(Occurrence.opens_at), col(Occurrence.due_at), col(Occurrence.id))
    ).all()
    wall = time.wall()
    runs, dropped = [], []
    periods: dict[tuple[int, str], list[Occurrence]] = {}
    for occurrence in rows:
        task = tasks[occurrence.task_id]
        if len(task.units) > 1:
            periods.setdefault((task.id or 0, occurrence.key), []).append(occurrence)
            continue
        key = occurrence_key(plan_id, occurrence.id or 0)
        if occurrence.status == Status.CANCELLED:
            dropped.append(key)
            continue
        if occurrence.status == Status.OPEN and occurrence.flow_run_id:
            continue  # followed already
        unit = names.get(occurrence.unit, occurrence.unit)
        label = period_label(occurrence.opens_at, plan.timezone, per_year[task.id])
        runs.append(
            PlannedRun(
                flow=flow_kind(task.kind),
                deployment=f"{plan_id}-{task.code}",
                name=run_name(label, task.title, unit),
                at=max(time.wall_at(occurrence.opens_at), wall),
                key=key,
                parameters={"occurrence_id": occurrence.id},
            )
        )
    for (task_id, period), members in periods.items():
        run = _period_run(plan, tasks[task_id], period, members, time, wall, per_year[task_id])
        if run is None:
            dropped.append(period_key(plan_id, task_id, period))
        elif run.key:
            runs.append(run)
    runs += sweep_runs(plan, time, now)
    runs += bulletin_runs(plan, time, now)
    return RunPlan(runs, dropped, wall)


def _period_run(
    plan: Plan,
    task: Task,
    period: str,
    members: list[Occurrence],
    time: TimeSource,
    wall: datetime,
    per_year: int,
) -> PlannedRun | None:
    """The roll-up run of a 分办 period: None when every unit's occurrence was cancelled; one
    with no key when a run follows it already."""
    live = [o for o in members if o.status != Status.CANCELLED]
    if not live:
        return None
    opens = min(o.opens_at for o in live)
    followed = any(o.status == Status.OPEN and o.flow_run_id for o in live)
    return PlannedRun(
        flow=flow_kind(task.kind),
        deployment=f"{plan.id}-{task.code}",
        name=run_name(
            period_label(opens, plan.timezone, per_year), task.title, f"{len(live)}个单位"
        ),
        at=max(time.wall_at(opens), wall),
        key="" if followed else period_key(plan.id, task.id or 0, period),
        parameters={"period": period},
    )


def sweep_runs(plan: Plan, time: TimeSource, now: datetime) -> list[PlannedRun]:
    """Live: the next SWEEPS_AHEAD sweeps after `now`. Replayed: only the next one after the
    replay's clock, which sweeps exactly its moment and starts just before the openings due
    then — so sweeps never pile up while the machine catches up with a compressed year."""
    calendar, zone, wall = (
        WorkCalendar.from_spec(plan.calendar),
        ZoneInfo(plan.timezone),
        time.wall(),
    )
    if isinstance(time, Replay):
        year = replay_sweeps(
            calendar, plan.timezone, year=plan.year, every_workdays=REPLAY_SWEEP_WORKDAYS
        )
        after = max(now, time.now())
        moments = [m for m in year if m > after][:1]
        lead = timedelta(seconds=2)
    else:
        moments = live_sweeps(calendar, plan.timezone, after=now, count=SWEEPS_AHEAD)
        lead = timedelta(0)
    return [
        PlannedRun(
            flow="sweep",
            deployment=f"{plan.id}-sweep",
            name=f"巡检 {moment.astimezone(zone):%Y-%m-%d %H:%M}",
            at=max(time.wall_at(moment) - lead, wall),
            key=f"duban-sweep-{plan.id}-{moment:%Y%m%dT%H%M}",
            parameters={"now": moment.isoformat()} if lead else {},
            paced=False,
        )
        for moment in moments
    ]


def bulletin_runs(plan: Plan, time: TimeSource, now: datetime) -> list[PlannedRun]:
    """The plan's next two 督办通报, when it asks for them: on the first official workday of
    the week or month (调休 included) at the plan's time, each covering the period before it,
    named `督办通报 2022-06-27` and keyed by its period (sent once, however often planned).
    None in a replayed year: its weeks pass in seconds, and `duban bulletin show` shows any."""
    wanted = (plan.settings or {}).get("bulletin")
    if not wanted or isinstance(time, Replay):
        return []
    hour, minute = (int(x) for x in str(wanted.get("time", "09:00")).split(":"))
    cadence = "month" if wanted.get("every") == "month" else "week"
    issues = issues_after(
        WorkCalendar.from_spec(plan.calendar),
        plan.timezone,
        cadence=cadence,
        time=dt_time(hour, minute),
        after=now,
        count=3,
    )
    issues = [i for i in issues if i.period.end.year >= plan.year][:2]  # none before its year
    return [
        PlannedRun(
            flow="bulletin",
            deployment=f"{plan.id}-bulletin",
            name=f"督办通报 {issue.period.label}",
            at=max(time.wall_at(issue.at), time.wall()),
            key=f"duban-bulletin-{plan.id}-{cadence}-{issue.period.label}",
            parameters={cadence: issue.period.label, "now": issue.at.isoformat()},
            paced=False,
        )
        for issue in issues
    ]


def schedule_runs(plan_id: str, planned: RunPlan) -> dict[str, int]:
    """Make Prefect hold these runs: create the missing (paced), move those that would start too early, delete the cancelled occurrences' runs
    that have not started. Counts of each."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterTags,
        FlowRunFilter,
        FlowRunFilterIdempotencyKey,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Scheduled

    counts = {"created": 0, "moved": 0, "deleted": 0}
    with get_client(sync_client=True) as client:
        found = client.read_deployments(
            deployment_filter=DeploymentFilter(tags=DeploymentFilterTags(all_=[f"plan:{plan_id}"]))
        )
        flows = {f.id: f.name for f in client.read_flows()}
        ids = {(flows.get(d.flow_id, ""), d.name): d.id for d in found if not d.paused}
        keys = [r.key for r in planned.runs] + planned.dropped
        existing = {}
        for start in range(0, len(keys), 200):
            chunk = keys[start : start + 200]
            for run in client.read_flow_runs(
                flow_run_filter=FlowRunFilter(
                    idempotency_key=FlowRunFilterIdempotencyKey(any_=chunk)
                ),
                limit=200,
            ):
                existing[run.idempotency_key] = run
        last = planned.wall - PACE  # the batch is paced among itself
        for want in planned.runs:
            deployment_id = ids.get((f"duban-{want.flow}", want.deployment))
            run = existing.get(want.key)
            if deployment_id is None:
                continue  # not deployed (a paused task)
            at = max(want.at, last + PACE) if want.paced else want.at
            if run is None:
                client.create_flow_run_from_deployment(
                    deployment_id,
                    parameters=want.parameters,
                    name=want.name,
                    state=Scheduled(scheduled_time=at),
                    idempotency_key=want.key,
                )
                counts["created"] += 1
                last = max(last, at) if want.paced else last
            elif (
                run.state_type == StateType.SCHEDULED
                and run.expected_start_time is not None
                and run.expected_start_time < want.at - timedelta(seconds=1)
            ):  # its occurrence now opens later than the run would start
                client.set_flow_run_state(run.id, Scheduled(scheduled_time=at), force=True)
                counts["moved"] += 1
                last = max(last, at)
        for key in planned.dropped:
            run = existing.get(key)
            if run is not None and run.state_type == StateType.SCHEDULED:
                client.delete_flow_run(run.id)
                counts["deleted"] += 1
    return counts

"""`duban schedule materialize`: Occurrence rows for the plan year, idempotently.

One occurrence per period for each unit a task is given to (分办; its owner alone by
default), and one per period for each 协办 unit — its input to the 主办, due
`input_before_workdays` workdays before the 主办's deadline (never before it opens).

Re-running adds nothing. After a schedule edit, occurrences that have not started
(status `scheduled`) follow the new schedule; an occurrence that has started is never
rewritten — its deadline moves only through an approved extension, which keeps the
original on record. A planned occurrence that no longer exists (or whose task left the plan)
and has not started is cancelled through the ledger; so is the waiting work of a unit the task
is no longer given to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Task
from duban.models.status import WAITING, Duty, Status
from duban.tasks.remind.policy import Policy
from duban.tasks.timeline.calendar import Clock, WorkCalendar, plan_clock
from duban.tasks.timeline.schedules import PlannedOccurrence, plan_occurrences
from duban.tasks.work.ledger import transition

ACTOR = "system:schedule"
Slot = tuple[str, str]  # (key, unit)


@dataclass
class MaterializeResult:
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    kept: int = 0


@dataclass(frozen=True)
class Wanted:
    planned: PlannedOccurrence
    duty: str


def plan_calendar(plan: Plan) -> WorkCalendar:
    return WorkCalendar.from_spec(plan.calendar)


def planned_for(task: Task, plan: Plan, calendar: WorkCalendar) -> list[PlannedOccurrence]:
    return plan_occurrences(
        task.schedule, year=plan.year, timezone=plan.timezone, calendar=calendar
    )


def wanted_for(task: Task, plan: Plan, clock: Clock) -> dict[Slot, Wanted]:
    """Every (period, unit) the task needs: its units' own occurrences, its 协办 inputs."""
    if not task.active:
        return {}
    policy = Policy.from_dict(task.reminders)
    wanted: dict[Slot, Wanted] = {}
    for period in planned_for(task, plan, clock.calendar):
        for unit in task.units or [task.owner]:
            wanted[(period.key, unit)] = Wanted(period, Duty.LEAD)
        if task.cooperating:
            early = input_due(period, policy.input_before_workdays, clock)
            for unit in task.cooperating:
                wanted[(period.key, unit)] = Wanted(early, Duty.COOPERATING)
    return wanted


def input_due(period: PlannedOccurrence, workdays: int, clock: Clock) -> PlannedOccurrence:
    """A 协办 input: due `workdays` before the 主办's deadline, at the same time of day — or
    with the 主办, when that would fall before the period opens."""
    zone = clock.zone
    day = clock.calendar.add_workdays(clock.local_date(period.due_at), -workdays)
    due = clock.at(day, period.due_at.astimezone(zone).time()) if workdays else period.due_at
    if due <= period.opens_at:
        due = period.due_at
    return PlannedOccurrence(period.key, period.opens_at, due, 0)


def materialize(*, session: Session, plan_id: str, now: datetime) -> MaterializeResult:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    clock = plan_clock(plan)
    result = MaterializeResult()
    tasks = session.exec(select(Task).where(Task.plan_id == plan_id)).all()
    existing: dict[int, dict[Slot, Occurrence]] = {}
    for occurrence in session.exec(
        select(Occurrence).where(
            col(Occurrence.task_id).in_([t.id for t in tasks]),
            Occurrence.duty != Duty.RECTIFICATION,
        )
    ):
        existing.setdefault(occurrence.task_id, {})[(occurrence.key, occurrence.unit)] = occurrence
    for task in tasks:
        assert task.id is not None
        _sync(session, task, existing.get(task.id, {}), wanted_for(task, plan, clock), now, result)
    session.flush()
    _link_inputs(session, [t.id for t in tasks if t.cooperating and t.id is not None])
    return result


def _sync(
    session: Session,
    task: Task,
    current: dict[Slot, Occurrence],
    wanted: dict[Slot, Wanted],
    now: datetime,
    result: MaterializeResult,
) -> None:
    for (key, unit), want in wanted.items():
        row, planned = current.get((key, unit)), want.planned
        if row is None:
            session.add(
                Occurrence(
                    task_id=task.id or 0,
                    key=key,
                    unit=unit,
                    duty=want.duty,
                    opens_at=planned.opens_at,
                    due_at=planned.due_at,
                    original_due_at=planned.due_at,
                    grace_workdays=planned.grace_workdays,
                )
            )
            result.added += 1
        elif row.status == Status.SCHEDULED and (_differs(row, planned) or row.duty != want.duty):
            row.opens_at, row.due_at = planned.opens_at, planned.due_at
            row.original_due_at, row.grace_workdays = planned.due_at, planned.grace_workdays
            row.duty = want.duty
            session.add(row)
            result.updated += 1
        else:
            result.kept += 1
    assigned = {unit for _, unit in wanted}
    for (key, unit), row in current.items():
        if (key, unit) in wanted:
            continue
        if row.status == Status.SCHEDULED:
            note = "计划调整，该期次取消"
        elif row.status in WAITING and unit not in assigned and task.active:
            note = "计划调整：任务不再交由本单位办理"
        else:
            continue
        transition(
            session=session,
            occurrence=row,
            to_status=Status.CANCELLED,
            actor=ACTOR,
            now=now,
            note=note,
        )
        result.cancelled += 1


def _link_inputs(session: Session, task_ids: list[int]) -> None:
    """Each 协办 input belongs to the 主办's occurrence of the same period."""
    if not task_ids:
        return
    rows = session.exec(select(Occurrence, Task).join(Task).where(col(Task.id).in_(task_ids))).all()
    leads = {(o.task_id, o.key): o.id for o, t in rows if o.duty == Duty.LEAD and o.unit == t.owner}
    for occurrence, _ in rows:
        if occurrence.duty == Duty.COOPERATING:
            lead = leads.get((occurrence.task_id, occurrence.key))
            if occurrence.parent_id != lead:
                occurrence.parent_id = lead
                session.add(occurrence)
    session.flush()


def _differs(row: Occurrence, want: PlannedOccurrence) -> bool:
    return (row.opens_at, row.due_at, row.grace_workdays) != (
        want.opens_at,
        want.due_at,
        want.grace_workdays,
    )

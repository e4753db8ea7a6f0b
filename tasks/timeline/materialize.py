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

import json
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import select as sa_select  # sqlmodel's select types up to 4 columns
from sqlalchemy import update
from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Task
from duban.models.bulk import analyze_after, insert_many
from duban.models.status import WAITING, Duty, Status
from duban.tasks.remind.policy import Policy
from duban.tasks.timeline.calendar import Clock, WorkCalendar, plan_clock
from duban.tasks.timeline.schedules import PlannedOccurrence, plan_occurrences
from duban.tasks.work.ledger import Change, append_many

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


class _Row(NamedTuple):
    """The columns of an existing occurrence that materializing looks at."""

    id: int
    task_id: int
    key: str
    unit: str
    duty: str
    status: str
    opens_at: datetime
    due_at: datetime
    grace_workdays: int
    parent_id: int | None


@dataclass
class _Writes:
    """What materializing will write, gathered first and written in bulk."""

    added: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[Change] = field(default_factory=list)
    kept: int = 0  # occurrences already as planned


def plan_calendar(plan: Plan) -> WorkCalendar:
    return WorkCalendar.from_spec(plan.calendar)


def planned_for(task: Task, plan: Plan, calendar: WorkCalendar) -> list[PlannedOccurrence]:
    return plan_occurrences(
        task.schedule, year=plan.year, timezone=plan.timezone, calendar=calendar
    )


def wanted_for(
    task: Task, plan: Plan, clock: Clock, periods: list[PlannedOccurrence] | None = None
) -> dict[Slot, Wanted]:
    """Every (period, unit) the task needs: its units' own occurrences, its 协办 inputs."""
    if not task.active:
        return {}
    policy = Policy.from_dict(task.reminders)
    wanted: dict[Slot, Wanted] = {}
    if periods is None:
        periods = planned_for(task, plan, clock.calendar)
    for period in periods:
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
    """The plan year's occurrences made to match the plan, in bulk: the differences are
    gathered first (plain columns, no ORM objects), then written with one statement per table
    and batch — a bureau's year is a hundred thousand rows."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    clock = plan_clock(plan)
    tasks = session.exec(select(Task).where(Task.plan_id == plan_id)).all()
    existing: dict[int, dict[Slot, _Row]] = {}
    for row in session.execute(
        select(*(getattr(Occurrence, name) for name in _Row._fields)).where(
            col(Occurrence.task_id).in_(select(Task.id).where(Task.plan_id == plan_id)),
            Occurrence.duty != Duty.RECTIFICATION,
        )
    ):
        found = _Row(*row)
        existing.setdefault(found.task_id, {})[(found.key, found.unit)] = found
    schedules: dict[str, list[PlannedOccurrence]] = {}  # tasks often share a schedule
    writes = _Writes()
    for task in tasks:
        assert task.id is not None
        shape = json.dumps(task.schedule, sort_keys=True)
        if task.active and shape not in schedules:
            schedules[shape] = planned_for(task, plan, clock.calendar)
        wanted = wanted_for(task, plan, clock, schedules.get(shape))
        _diff(task, existing.get(task.id, {}), wanted, now, writes)
    _write(session, writes)
    _link_inputs(session, [t.id for t in tasks if t.cooperating and t.id is not None])
    return MaterializeResult(
        len(writes.added), len(writes.updated), len(writes.cancelled), writes.kept
    )


def _diff(
    task: Task,
    current: dict[Slot, _Row],
    wanted: dict[Slot, Wanted],
    now: datetime,
    writes: _Writes,
) -> None:
    for (key, unit), want in wanted.items():
        row, planned = current.get((key, unit)), want.planned
        if row is None:
            writes.added.append(
                {
                    "task_id": task.id,
                    "key": key,
                    "unit": unit,
                    "duty": want.duty,
                    "opens_at": planned.opens_at,
                    "due_at": planned.due_at,
                    "original_due_at": planned.due_at,
                    "grace_workdays": planned.grace_workdays,
                    "status": Status.SCHEDULED,
                }
            )
        elif row.status == Status.SCHEDULED and (_differs(row, planned) or row.duty != want.duty):
            writes.updated.append(
                {
                    "id": row.id,
                    "opens_at": planned.opens_at,
                    "due_at": planned.due_at,
                    "original_due_at": planned.due_at,
                    "grace_workdays": planned.grace_workdays,
                    "duty": want.duty,
                }
            )
        else:
            writes.kept += 1
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
        writes.cancelled.append(Change(row.id, row.status, Status.CANCELLED, now, note))


def _write(session: Session, writes: _Writes) -> None:
    table = Occurrence.__table__  # type: ignore[attr-defined]
    if writes.added:
        columns = list(writes.added[0])
        insert_many(session, table, columns, map(itemgetter(*columns), writes.added))
    if writes.updated:  # ORM bulk UPDATE by primary key: one executemany
        session.execute(update(Occurrence), writes.updated)
    append_many(session=session, changes=writes.cancelled, actor=ACTOR)
    analyze_after(session, table, len(writes.added) + len(writes.updated))


def _link_inputs(session: Session, task_ids: list[int]) -> None:
    """Each 协办 input belongs to the 主办's occurrence of the same period."""
    if not task_ids:
        return
    rows = session.execute(
        sa_select(
            col(Occurrence.id),
            col(Occurrence.task_id),
            col(Occurrence.key),
            col(Occurrence.unit),
            col(Occurrence.duty),
            col(Occurrence.parent_id),
            col(Task.owner),
        )
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.id).in_(task_ids))
    ).all()
    leads = {(r.task_id, r.key): r.id for r in rows if r.duty == Duty.LEAD and r.unit == r.owner}
    links = [
        {"id": r.id, "parent_id": leads.get((r.task_id, r.key))}
        for r in rows
        if r.duty == Duty.COOPERATING and r.parent_id != leads.get((r.task_id, r.key))
    ]
    if links:
        session.execute(update(Occurrence), links)


def _differs(row: _Row, want: PlannedOccurrence) -> bool:
    return (row.opens_at, row.due_at, row.grace_workdays) != (
        want.opens_at,
        want.due_at,
        want.grace_workdays,
    )

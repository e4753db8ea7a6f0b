"""`duban schedule materialize`: Occurrence rows for the plan year, idempotently.

Re-running adds nothing. After a schedule edit, occurrences that have not started
(status `scheduled`) follow the new schedule; an occurrence that has started is never
rewritten — its deadline moves only through an approved extension, which keeps the
original on record. A planned occurrence that no longer exists
(or whose task left the plan) and has not started is cancelled through the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Task
from duban.models.status import Status
from duban.tasks.timeline.calendar import WorkCalendar
from duban.tasks.timeline.schedules import PlannedOccurrence, plan_occurrences
from duban.tasks.work.ledger import transition

ACTOR = "system:schedule"


@dataclass
class MaterializeResult:
    added: int = 0
    updated: int = 0
    cancelled: int = 0
    kept: int = 0


def plan_calendar(plan: Plan) -> WorkCalendar:
    return WorkCalendar.from_spec(plan.calendar)


def planned_for(task: Task, plan: Plan, calendar: WorkCalendar) -> list[PlannedOccurrence]:
    return plan_occurrences(
        task.schedule, year=plan.year, timezone=plan.timezone, calendar=calendar
    )


def materialize(*, session: Session, plan_id: str, now: datetime) -> MaterializeResult:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    calendar = plan_calendar(plan)
    result = MaterializeResult()
    tasks = session.exec(select(Task).where(Task.plan_id == plan_id)).all()
    existing: dict[int, dict[str, Occurrence]] = {}
    for occurrence in session.exec(
        select(Occurrence).where(col(Occurrence.task_id).in_([t.id for t in tasks]))
    ):
        existing.setdefault(occurrence.task_id, {})[occurrence.key] = occurrence

    for task in tasks:
        assert task.id is not None
        current = existing.get(task.id, {})
        planned = {p.key: p for p in planned_for(task, plan, calendar)} if task.active else {}
        for key, want in planned.items():
            row = current.get(key)
            if row is None:
                session.add(
                    Occurrence(
                        task_id=task.id,
                        key=key,
                        opens_at=want.opens_at,
                        due_at=want.due_at,
                        original_due_at=want.due_at,
                        grace_workdays=want.grace_workdays,
                    )
                )
                result.added += 1
            elif _unstarted(row) and _differs(row, want):
                row.opens_at, row.due_at = want.opens_at, want.due_at
                row.original_due_at, row.grace_workdays = want.due_at, want.grace_workdays
                session.add(row)
                result.updated += 1
            else:
                result.kept += 1
        for key, row in current.items():
            if key not in planned and _unstarted(row):
                transition(
                    session=session,
                    occurrence=row,
                    to_status=Status.CANCELLED,
                    actor=ACTOR,
                    now=now,
                    note="计划调整，该期次取消",
                )
                result.cancelled += 1
    session.flush()
    return result


def _unstarted(row: Occurrence) -> bool:
    return row.status == Status.SCHEDULED


def _differs(row: Occurrence, want: PlannedOccurrence) -> bool:
    return (row.opens_at, row.due_at, row.grace_workdays) != (
        want.opens_at,
        want.due_at,
        want.grace_workdays,
    )

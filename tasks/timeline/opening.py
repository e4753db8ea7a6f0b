"""Opening occurrences whose time has come (`scheduled` → `open`, once), and which run follows
each: one flow run per occurrence, never two, so that waking a run can only mean its own."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import update
from sqlmodel import Session, col, select

from duban.models import Occurrence, Task
from duban.models.status import IN_HAND, Duty, Status
from duban.tasks.work.ledger import Change, record_many


class Opened(NamedTuple):
    id: int
    key: str


def open_due(
    *,
    session: Session,
    plan_id: str,
    now: datetime,
    task_code: str | None = None,
    period: tuple[int, str] | None = None,
    actor: str = "system:schedule",
    on_time_within: timedelta = timedelta(0),
) -> list[Opened]:
    """Open every scheduled occurrence of the plan (or of one task, or of one task-period —
    `(task id, key)`: every unit's, 协办 inputs included) whose opening time has passed.

    Idempotent: an occurrence already open is not touched, so a late or repeated
    run (a catch-up sweep after downtime, a retried flow) opens nothing twice. An occurrence
    whose opening moment lies at most `on_time_within` before `now` is recorded as opened at
    that moment: a scheduled run that started within its schedule's precision was on time.
    All of them are opened at once (`ledger.record_many`): a month's opening of a bureau's
    分办 tasks is thousands of rows.
    """
    due = (
        select(Occurrence.id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.active,
            Occurrence.status == Status.SCHEDULED,
            col(Occurrence.opens_at) <= now,
        )
        .with_for_update(of=Occurrence, skip_locked=True)  # type: ignore[arg-type]
    )
    if task_code is not None:
        due = due.where(Task.code == task_code)
    if period is not None:
        due = due.where(Occurrence.task_id == period[0], Occurrence.key == period[1])
    session.flush()
    # one statement finds, locks and opens them (on PostgreSQL, locking and then updating
    # 100,000 rows would write each twice); their ledger rows follow in opening order
    opened = sorted(
        session.execute(
            update(Occurrence)
            .where(col(Occurrence.id).in_(due.scalar_subquery()))
            .values(status=Status.OPEN, next_reminder_at=None)
            .returning(col(Occurrence.opens_at), col(Occurrence.id), col(Occurrence.key))
            .execution_options(synchronize_session=False)
        ).all()
    )
    changes = [
        Change(
            occurrence_id,
            Status.SCHEDULED,
            Status.OPEN,
            opens_at if now - opens_at <= on_time_within else now,
            "期次开始，已交办责任单位",
        )
        for opens_at, occurrence_id, _ in opened
    ]
    record_many(session=session, changes=changes, actor=actor)
    return [Opened(occurrence_id, key) for _, occurrence_id, key in opened]


def unfollowed(
    *, session: Session, plan_id: str, task_code: str, now: datetime
) -> list[Occurrence]:
    """The task's open 主办 occurrences that no flow run follows yet, oldest first: those a
    catch-up sweep opened, or a run that opened several at once left for runs of their own."""
    return list(
        session.exec(
            select(Occurrence)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .where(
                Task.plan_id == plan_id,
                Task.code == task_code,
                col(Occurrence.status).in_(IN_HAND),
                col(Occurrence.opens_at) <= now,
                col(Occurrence.flow_run_id).is_(None),
                Occurrence.duty == Duty.LEAD,
            )
            .order_by(col(Occurrence.opens_at), col(Occurrence.id))
            .with_for_update(skip_locked=True)
        ).all()
    )


def followed_by(session: Session, run_id: str) -> Occurrence | None:
    """The occurrence a task's flow run follows (after a resume, the run finds its own again).
    A 整改 carries its inspection's run until it gets its own, and is never the answer."""
    return session.exec(
        select(Occurrence)
        .where(Occurrence.flow_run_id == run_id, Occurrence.duty == Duty.LEAD)
        .order_by(col(Occurrence.opens_at).desc(), col(Occurrence.id).desc())
    ).first()

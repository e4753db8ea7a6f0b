"""Opening occurrences whose time has come (`scheduled` → `open`, once), and which run follows
each: one flow run per occurrence, never two, so that waking a run can only mean its own."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from duban.models import Occurrence, Task
from duban.models.status import IN_HAND, Duty, Status
from duban.tasks.work.ledger import transition


def open_due(
    *,
    session: Session,
    plan_id: str,
    now: datetime,
    task_code: str | None = None,
    period: tuple[int, str] | None = None,
    actor: str = "system:schedule",
    on_time_within: timedelta = timedelta(0),
) -> list[Occurrence]:
    """Open every scheduled occurrence of the plan (or of one task, or of one task-period —
    `(task id, key)`: every unit's, 协办 inputs included) whose opening time has passed.

    Idempotent: an occurrence already open is not touched, so a late or repeated
    run (a catch-up sweep after downtime, a retried flow) opens nothing twice. An occurrence
    whose opening moment lies at most `on_time_within` before `now` is recorded as opened at
    that moment: a scheduled run that started within its schedule's precision was on time.
    """
    query = (
        select(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(
            Task.plan_id == plan_id,
            Task.active,
            Occurrence.status == Status.SCHEDULED,
            col(Occurrence.opens_at) <= now,
        )
        .order_by(col(Occurrence.opens_at))
        .with_for_update(skip_locked=True)
    )
    if task_code is not None:
        query = query.where(Task.code == task_code)
    if period is not None:
        query = query.where(Occurrence.task_id == period[0], Occurrence.key == period[1])
    opened = []
    for occurrence in session.exec(query).all():
        on_time = now - occurrence.opens_at <= on_time_within
        transition(
            session=session,
            occurrence=occurrence,
            to_status=Status.OPEN,
            actor=actor,
            now=occurrence.opens_at if on_time else now,
            note="期次开始，已交办责任单位",
        )
        opened.append(occurrence)
    return opened


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

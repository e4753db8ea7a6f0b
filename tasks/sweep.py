"""One reminder sweep: the policy's due stages become outbox rows, before anything is sent.

Each (occurrence, stage, recipient) is written once: the unique key makes a repeated or
concurrent sweep a no-op. A dry run computes the same rows and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import Occurrence, Plan, Reminder, StatusEvent, Task, Unit
from tasks.calendar import WorkCalendar
from tasks.policy import (
    WAITING,
    Clock,
    DueStage,
    OccurrenceState,
    Policy,
    due_stages,
    escalation_chain,
)


@dataclass
class SweepResult:
    due: list[DueStage]
    written: int


def plan_clock(plan: Plan) -> Clock:
    return Clock(WorkCalendar.from_spec(plan.calendar), plan.timezone)


def due_now(*, session: Session, plan_id: str, now: dt.datetime) -> list[DueStage]:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    clock = plan_clock(plan)
    units = session.exec(select(Unit).where(Unit.plan_id == plan_id, Unit.active)).all()
    parents = {u.code: u.parent for u in units}
    coordinators = [u.code for u in units if u.role == "coordinator"]
    rows = session.exec(
        select(Occurrence, Task)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan_id, Task.active, col(Occurrence.status).in_(WAITING))
    ).all()
    returns = (
        Counter(
            dict(
                session.exec(  # type: ignore[arg-type]
                    select(StatusEvent.occurrence_id, func.count())
                    .where(
                        StatusEvent.to_status == "returned",
                        col(StatusEvent.occurrence_id).in_([o.id for o, _ in rows]),
                    )
                    .group_by(col(StatusEvent.occurrence_id))
                ).all()
            )
        )
        if rows
        else Counter()
    )
    policies: dict[int, Policy] = {}
    chains: dict[str, list[str]] = {}
    stages: list[DueStage] = []
    for occurrence, task in rows:
        assert occurrence.id is not None and task.id is not None
        policy = policies.get(task.id) or policies.setdefault(
            task.id, Policy.from_dict(task.reminders)
        )
        chain = chains.get(task.owner) or chains.setdefault(
            task.owner, escalation_chain(task.owner, parents)
        )
        state = OccurrenceState(
            occurrence.id,
            occurrence.status,
            occurrence.opens_at,
            occurrence.due_at,
            occurrence.grace_workdays,
            returns.get(occurrence.id, 0),
        )
        stages += due_stages(
            state, policy=policy, clock=clock, chain=chain, coordinators=coordinators, now=now
        )
    return stages


def sweep(
    *, session: Session, plan_id: str, now: dt.datetime, dry_run: bool = False
) -> SweepResult:
    stages = due_now(session=session, plan_id=plan_id, now=now)
    if dry_run or not stages:
        return SweepResult(stages, 0)
    ids = list({s.occurrence_id for s in stages})
    existing: set[tuple[int, str, str]] = set()
    for chunk in range(0, len(ids), 5000):
        existing |= set(
            session.exec(
                select(Reminder.occurrence_id, Reminder.stage, Reminder.recipient).where(
                    col(Reminder.occurrence_id).in_(ids[chunk : chunk + 5000])
                )
            ).all()
        )
    new = [s for s in stages if (s.occurrence_id, s.stage, s.recipient) not in existing]
    rows = [
        {
            "occurrence_id": s.occurrence_id,
            "stage": s.stage,
            "recipient": s.recipient,
            "planned_at": s.planned_at,
            "status": "pending",
            "channel": 0,
            "attempts": 0,
            "outcome": {},
        }
        for s in new
    ]
    if rows:
        try:
            with session.begin_nested():
                session.execute(Reminder.__table__.insert(), rows)  # type: ignore[attr-defined]
        except IntegrityError:
            # a concurrent sweep wrote some of them first: add the rest one by one
            for row in rows:
                try:
                    with session.begin_nested():
                        session.execute(Reminder.__table__.insert(), [row])  # type: ignore[attr-defined]
                except IntegrityError:
                    pass
    return SweepResult(stages, len(rows))

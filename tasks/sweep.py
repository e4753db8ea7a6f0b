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
    waiting = (Task.plan_id == plan_id, Task.active, col(Occurrence.status).in_(WAITING))
    tasks = {
        t.id: t for t in session.exec(select(Task).where(Task.plan_id == plan_id, Task.active))
    }
    # plain columns, not ORM objects: a sweep reads every waiting occurrence of the plan
    rows = session.exec(
        select(
            Occurrence.id,
            Occurrence.task_id,
            Occurrence.status,
            Occurrence.opens_at,
            Occurrence.due_at,
            Occurrence.grace_workdays,
        )
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(*waiting)
    ).all()
    returned = (
        select(StatusEvent.occurrence_id, func.count())
        .join(Occurrence, col(Occurrence.id) == StatusEvent.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(StatusEvent.to_status == "returned", *waiting)
        .group_by(col(StatusEvent.occurrence_id))
    )
    returns = Counter(dict(session.exec(returned).all()))  # type: ignore[arg-type]
    policies: dict[int, Policy] = {}
    chains: dict[str, list[str]] = {}
    stages: list[DueStage] = []
    for occurrence_id, task_id, status, opens_at, due_at, grace in rows:
        task = tasks[task_id]
        policy = policies.get(task_id) or policies.setdefault(
            task_id, Policy.from_dict(task.reminders)
        )
        chain = chains.get(task.owner) or chains.setdefault(
            task.owner, escalation_chain(task.owner, parents)
        )
        state = OccurrenceState(
            occurrence_id, status, opens_at, due_at, grace, returns.get(occurrence_id, 0)
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
    existing = set(
        map(
            tuple,  # plain tuples hash and compare far faster than result rows
            session.exec(
                select(Reminder.occurrence_id, Reminder.stage, Reminder.recipient)
                .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
                .join(Task, col(Task.id) == Occurrence.task_id)
                .where(Task.plan_id == plan_id, col(Occurrence.status).in_(WAITING))
            ).all(),
        )
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
            written = 0
            for row in rows:
                try:
                    with session.begin_nested():
                        session.execute(Reminder.__table__.insert(), [row])  # type: ignore[attr-defined]
                    written += 1
                except IntegrityError:
                    pass
            return SweepResult(stages, written)
    return SweepResult(stages, len(rows))

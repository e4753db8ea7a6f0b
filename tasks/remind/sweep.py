"""One reminder sweep: the policy's due stages become outbox rows, before anything is sent.

Each (occurrence, stage, recipient) is written once: the unique key makes a repeated or
concurrent sweep a no-op. A dry run computes the same rows and writes nothing.

Incremental: after looking at an occurrence the sweep stores its bookmark
(`Occurrence.next_reminder_at`, the policy's `next_stage_at`), and later sweeps read only the
occurrences whose bookmark has passed or was reset by a change — a sweep every 15 minutes
reads a handful of rows, not the whole year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select  # sqlmodel's select types up to 4 columns
from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Reminder, StatusEvent, Task, Unit
from duban.models.bulk import analyze_after, insert_many, update_by_ids
from duban.models.status import ReminderStatus, Status
from duban.tasks.remind.digest import hold
from duban.tasks.remind.policy import (
    WAITING,
    Clock,
    DueStage,
    OccurrenceState,
    Policy,
    due_stages,
    escalation_chain,
    next_stage_at,
    relay,
)
from duban.tasks.timeline.calendar import plan_clock

REMINDER_COLUMNS = (
    "occurrence_id",
    "stage",
    "recipient",
    "planned_at",
    "status",
    "channel",
    "attempts",
    "outcome",
)
PENDING = ReminderStatus.PENDING.value
NO_OUTCOME: dict[str, Any] = {}  # one object for every new row: converted once


@dataclass
class SweepResult:
    due: list[DueStage]
    written: int
    examined: int = 0  # occurrences whose bookmark had passed
    new: list[DueStage] = field(default_factory=list)  # the stages this sweep wrote


@dataclass
class _Due:
    stages: list[DueStage]
    bookmarks: list[dict[str, Any]]  # {"id": …, "next_reminder_at": …} per occurrence examined


def _to_examine(plan_id: str, now: dt.datetime) -> tuple[Any, ...]:
    """Waiting occurrences of active tasks whose bookmark has passed (or was reset)."""
    return (
        Task.plan_id == plan_id,
        Task.active,
        col(Occurrence.status).in_(WAITING),
        or_(col(Occurrence.next_reminder_at).is_(None), col(Occurrence.next_reminder_at) <= now),
    )


def due_now(*, session: Session, plan_id: str, now: dt.datetime) -> _Due:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    clock = plan_clock(plan)
    units = session.exec(select(Unit).where(Unit.plan_id == plan_id, Unit.active)).all()
    parents = {u.code: u.parent for u in units}
    digests = {u.code for u in units if u.digest}
    coordinators = [u.code for u in units if u.role == "coordinator"]
    waiting = _to_examine(plan_id, now)
    tasks = {
        t.id: t
        for t in session.exec(select(Task).where(Task.plan_id == plan_id, Task.active))
        if t.id is not None  # always, once stored
    }
    # plain columns, not ORM objects: a sweep reads every waiting occurrence of the plan
    rows = session.execute(
        sa_select(
            col(Occurrence.id),
            col(Occurrence.task_id),
            col(Occurrence.status),
            col(Occurrence.opens_at),
            col(Occurrence.due_at),
            col(Occurrence.grace_workdays),
            col(Occurrence.unit),
        )
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(*waiting)
    ).all()
    returned = (
        select(StatusEvent.occurrence_id, func.count())
        .join(Occurrence, col(Occurrence.id) == StatusEvent.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(StatusEvent.to_status == Status.RETURNED, *waiting)
        .group_by(col(StatusEvent.occurrence_id))
    )
    returns = Counter(dict(session.exec(returned).all()))  # type: ignore[arg-type]
    policies: dict[int, Policy] = {}
    chains: dict[str, list[str]] = {}
    stages: list[DueStage] = []
    bookmarks: list[dict[str, Any]] = []
    for occurrence_id, task_id, status, opens_at, due_at, grace, unit in rows:
        task = tasks[task_id]
        policy = policies.get(task_id) or policies.setdefault(
            task_id, Policy.from_dict(task.reminders)
        )
        chain = chains.get(unit) or chains.setdefault(unit, escalation_chain(unit, parents))
        state = OccurrenceState(
            occurrence_id, status, opens_at, due_at, grace, returns.get(occurrence_id, 0)
        )
        found = due_stages(
            state, policy=policy, clock=clock, chain=chain, coordinators=coordinators, now=now
        )
        stages += [  # 每日汇总: a digest unit's own stages wait for its next working morning
            hold(s, policy=policy, clock=clock, now=now) if s.recipient in digests else s
            for s in found
        ]
        bookmarks.append(
            {
                "id": occurrence_id,
                "next_reminder_at": next_stage_at(state, policy=policy, clock=clock, now=now),
            }
        )
    channels = {u.code: max(len(u.notify or ()), 1) for u in units}
    for task_id, task in tasks.items():  # relays may concern tasks with nothing examined now
        policies.setdefault(task_id, Policy.from_dict(task.reminders))
    return _Due(stages + _relays(session, plan_id, clock, channels, policies, now), bookmarks)


def _relays(
    session: Session,
    plan_id: str,
    clock: Clock,
    channels: dict[str, int],
    policies: dict[int, Policy],
    now: dt.datetime,
) -> list[DueStage]:
    """消息必达: reminders sent to a unit that still has not acknowledged, on its next channel."""
    relaying = [code for code, count in channels.items() if count > 1]
    if not relaying:
        return []
    to_owner = session.execute(
        sa_select(
            col(Reminder.occurrence_id),
            col(Reminder.stage),
            col(Reminder.recipient),
            col(Reminder.channel),
            col(Reminder.sent_at),
            col(Occurrence.task_id),
            col(Reminder.status),
        )
        .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(
            col(Task.plan_id) == plan_id,
            col(Task.active),
            col(Occurrence.status) == Status.OPEN,
            col(Occurrence.unit).in_(relaying),
            col(Reminder.recipient) == col(Occurrence.unit),
        )
    ).all()
    written = {(o, stage) for o, stage, *_ in to_owner}
    found = []
    for occurrence_id, stage, recipient, channel, sent_at, task_id, status in to_owner:
        if status != ReminderStatus.SENT or channel + 1 >= channels.get(recipient, 1):
            continue
        step = relay(stage, channel, sent_at, policy=policies[task_id], clock=clock)
        if step is not None and step[2] <= now and (occurrence_id, step[0]) not in written:
            found.append(DueStage(occurrence_id, step[0], recipient, step[2], 0, step[1]))
    return found


def sweep(
    *, session: Session, plan_id: str, now: dt.datetime, dry_run: bool = False
) -> SweepResult:
    found = due_now(session=session, plan_id=plan_id, now=now)
    stages, examined = found.stages, len(found.bookmarks)
    if dry_run:
        return SweepResult(stages, 0, examined)
    existing: set[tuple[Any, ...]] = set()
    if stages:  # the keys already written for the occurrences examined (relays check their own)
        existing = set(
            map(
                tuple,  # plain tuples hash and compare far faster than result rows
                session.exec(
                    select(Reminder.occurrence_id, Reminder.stage, Reminder.recipient)
                    .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
                    .join(Task, col(Task.id) == Occurrence.task_id)
                    .where(*_to_examine(plan_id, now))
                ).all(),
            )
        )
    _store_bookmarks(session, found.bookmarks)
    new = [s for s in stages if (s.occurrence_id, s.stage, s.recipient) not in existing]
    # a concurrent sweep may have written some of them since: the unique key leaves those out
    written = insert_many(
        session,
        Reminder.__table__,  # type: ignore[attr-defined]
        REMINDER_COLUMNS,
        (
            (s.occurrence_id, s.stage, s.recipient, s.planned_at, PENDING, s.channel, 0, NO_OUTCOME)
            for s in new
        ),
        skip_existing=("occurrence_id", "stage", "recipient"),
    )
    analyze_after(session, Reminder.__table__, written)  # type: ignore[attr-defined]
    return SweepResult(stages, written, examined, new)


def _store_bookmarks(session: Session, bookmarks: list[dict[str, Any]]) -> None:
    """Each examined occurrence's next look: one UPDATE per distinct moment (a year's
    occurrences share a few hundred), not one per row."""
    by_moment: dict[dt.datetime | None, list[int]] = {}
    for bookmark in bookmarks:
        by_moment.setdefault(bookmark["next_reminder_at"], []).append(bookmark["id"])
    for moment, ids in by_moment.items():
        update_by_ids(session, Occurrence.__table__, ids, next_reminder_at=moment)  # type: ignore[attr-defined]

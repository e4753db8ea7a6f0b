"""The coordinators told that a Duban flow run failed — through the outbox like every other
message: written once per run and coordinator, sent with retries and fall-through, recorded.
`tell_once` writes every such note to the coordinators (broken channels and undeliverable
reminders too).

An alert row rides on an occurrence, as every outbox row does: the failed run's own when it
followed one, else the plan's first (the carrier only anchors the row; the message is about
the run). Its stage carries what the message says: `alert/<run id>/<failed|crashed>/<name>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import Occurrence, Reminder, Task, Unit


def alert_stage(run_id: str, crashed: bool, name: str) -> str:
    return f"alert/{run_id}/{'crashed' if crashed else 'failed'}/{name or run_id}"


def alert_parts(stage: str) -> tuple[str, bool, str]:
    """(run id, crashed, run name) of an alert stage."""
    _, run_id, outcome, name = stage.split("/", 3)
    return run_id, outcome == "crashed", name


def write_alert(
    session: Session, *, plan_id: str, run_id: str, run_name: str, crashed: bool, now: dt.datetime
) -> int:
    """One outbox row per active coordinator of the plan for this failed run (none written
    twice); how many were written. 0 when the plan has no occurrence to carry them."""
    carrier = session.exec(
        select(Occurrence.id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan_id)
        .order_by(func.coalesce(Occurrence.flow_run_id, "") != run_id, col(Occurrence.id))
        .limit(1)
    ).first()
    if carrier is None:
        return 0
    coordinators = session.exec(
        select(Unit.code).where(Unit.plan_id == plan_id, Unit.role == "coordinator", Unit.active)
    ).all()
    stage = alert_stage(run_id, crashed, run_name)
    return tell_once(session, occurrence_id=carrier, stage=stage, recipients=coordinators, now=now)


def tell_once(
    session: Session,
    *,
    occurrence_id: int,
    stage: str,
    recipients: Sequence[str],
    now: dt.datetime,
    per_occurrence: bool = False,
) -> int:
    """An outbox row of `stage`, carried by `occurrence_id`, for each recipient not yet told
    it — by any occurrence's row, or only by this occurrence's when `per_occurrence` (a stage
    that names no occurrence of its own). How many were written. The notes to coordinators
    about the machinery go through here: failed runs, broken channels, undeliverable reminders."""
    query = select(Reminder.recipient).where(Reminder.stage == stage)
    if per_occurrence:
        query = query.where(Reminder.occurrence_id == occurrence_id)
    told = set(session.exec(query))
    fresh = [r for r in recipients if r not in told]
    session.add_all(
        Reminder(occurrence_id=occurrence_id, stage=stage, recipient=r, planned_at=now)
        for r in fresh
    )
    return len(fresh)

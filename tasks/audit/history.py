"""What happened to an occurrence, and to a unit's work: the ledger's status changes and the
reminders, in time order — read, never written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Reminder, StatusEvent, Task
from duban.tasks.audit.queries import Period


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    what: str  # status | reminder
    detail: dict[str, object]


def history(session: Session, occurrence_id: int) -> list[HistoryEntry]:
    """Every status change and every reminder of one occurrence, in time order."""
    entries = [
        HistoryEntry(
            e.at,
            "status",
            {
                "id": e.id,
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "note": e.note,
                "evidence": e.evidence,
            },
        )
        for e in session.exec(select(StatusEvent).where(StatusEvent.occurrence_id == occurrence_id))
    ]
    entries += [
        HistoryEntry(
            r.sent_at or r.planned_at,
            "reminder",
            {
                "id": r.id,
                "stage": r.stage,
                "recipient": r.recipient,
                "status": r.status,
                "channel": r.outcome.get("channel") if r.outcome else None,
                "attempts": r.attempts,
                "error": r.error,
            },
        )
        for r in session.exec(select(Reminder).where(Reminder.occurrence_id == occurrence_id))
    ]
    return sorted(entries, key=lambda e: (e.at, e.what != "status", e.detail["id"]))


@dataclass(frozen=True)
class UnitEvent:
    occurrence_id: int
    task: str
    title: str
    at: dt.datetime
    from_status: str | None
    to_status: str
    actor: str


def unit_history(
    session: Session, plan_id: str, unit: str, period: Period | None = None
) -> list[UnitEvent]:
    """Every status change of a unit's occurrences (those due in `period`), in time order."""
    query = (
        select(  # type: ignore[call-overload]
            StatusEvent.occurrence_id,
            Task.code,
            Task.title,
            StatusEvent.at,
            StatusEvent.from_status,
            StatusEvent.to_status,
            StatusEvent.actor,
        )
        .join(Occurrence, col(Occurrence.id) == StatusEvent.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan_id, Occurrence.unit == unit)
        .order_by(col(StatusEvent.at), col(StatusEvent.id))
    )
    if period is not None:
        zone = ZoneInfo(session.get_one(Plan, plan_id).timezone)
        start = dt.datetime.combine(period.start, dt.time(), zone)
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), zone)
        query = query.where(col(Occurrence.due_at) >= start, col(Occurrence.due_at) < end)
    return [UnitEvent(*row) for row in session.execute(query).all()]

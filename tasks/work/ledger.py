"""台账: every status change is one appended, hash-chained `StatusEvent`.

Each row's hash covers its canonical content and the previous row's hash; `prev_hash`
is unique, so two writers can never both extend the same row (the chain cannot fork).
On PostgreSQL the append takes a transaction-scoped advisory lock so that concurrent
writers queue instead of failing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, text
from sqlmodel import Session, col, select

from duban.models import Occurrence, StatusEvent

GENESIS = "0" * 64
_LOCK_KEY = 0x6475_6261_6E  # "duban"


_COLUMNS = (
    "id",
    "occurrence_id",
    "from_status",
    "to_status",
    "actor",
    "at",
    "note",
    "evidence",
    "prev_hash",
    "hash",
)


def canonical(event: StatusEvent | Row[Any]) -> bytes:
    """The hashed content; an event or a row with the same column names."""
    body: dict[str, Any] = {
        "occurrence_id": event.occurrence_id,
        "from": event.from_status,
        "to": event.to_status,
        "actor": event.actor,
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "note": event.note,
        "evidence": event.evidence,
        "prev": event.prev_hash,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def digest(event: StatusEvent | Row[Any]) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def transition(
    *,
    session: Session,
    occurrence: Occurrence,
    to_status: str,
    actor: str,
    now: datetime,
    note: str | None = None,
    evidence: list[Any] | None = None,
) -> StatusEvent:
    """Move an occurrence to `to_status` and append the ledger row, in the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_LOCK_KEY))  # type: ignore[call-overload]
    assert occurrence.id is not None
    last = session.exec(
        select(StatusEvent.hash).order_by(col(StatusEvent.id).desc()).limit(1)
    ).first()
    event = StatusEvent(
        occurrence_id=occurrence.id,
        from_status=occurrence.status,
        to_status=to_status,
        actor=actor,
        at=now,
        note=note,
        evidence=evidence or [],
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = digest(event)
    occurrence.status = to_status
    occurrence.next_reminder_at = None  # the reminder sweep looks at it afresh
    session.add(occurrence)
    session.add(event)
    session.flush()
    return event


@dataclass
class Verification:
    rows: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(session: Session, batch: int = 5000) -> Verification:
    """Recompute the chain in id order, in batches (flat memory); name the first broken row.

    A changed row no longer matches its own hash; a deleted or inserted row breaks the next
    row's link. (Rows appended at the end by someone who knows this algorithm are not detected:
    anchoring the latest hash outside the database is what closes that gap.)
    """
    expected, rows, last_id = GENESIS, 0, 0
    while True:
        chunk = session.execute(  # plain rows, not ORM objects: nothing piles up in the session
            select(*(getattr(StatusEvent, name) for name in _COLUMNS))
            .where(col(StatusEvent.id) > last_id)
            .order_by(col(StatusEvent.id))
            .limit(batch)
        ).all()
        if not chunk:
            return Verification(rows)
        for event in chunk:
            assert event.id is not None
            if event.prev_hash != expected:
                return Verification(
                    rows, event.id, "与上一行的链接断开：之前的行被删除、插入或改动"
                )
            if digest(event) != event.hash:
                return Verification(rows, event.id, "内容与哈希不符：该行被改动")
            expected, rows, last_id = event.hash, rows + 1, event.id
        session.expunge_all()


def record(
    *, session: Session, to_status: str, actor: str, now: datetime, note: str
) -> StatusEvent:
    """Append a row about the plan rather than one occurrence (`occurrence_id` empty) — a
    督办通报 sent, with its SHA-256 in `note` — in the caller's transaction, chained like any."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_LOCK_KEY))  # type: ignore[call-overload]
    last = session.exec(
        select(StatusEvent.hash).order_by(col(StatusEvent.id).desc()).limit(1)
    ).first()
    event = StatusEvent(
        occurrence_id=None,
        to_status=to_status,
        actor=actor,
        at=now,
        note=note,
        evidence=[],
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = digest(event)
    session.add(event)
    session.flush()
    return event

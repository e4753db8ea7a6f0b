"""台账: every status change is one appended, hash-chained `StatusEvent`.

Each row's hash covers its canonical content and the previous row's hash; `prev_hash`
is unique, so two writers can never both extend the same row (the chain cannot fork).
On PostgreSQL the append takes a transaction-scoped advisory lock so that concurrent
writers queue instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Row, func, text
from sqlmodel import Session, col, select

from duban.models import Occurrence, StatusEvent
from duban.models.bulk import analyze_after, insert_many, update_by_ids
from duban.models.db import engine_for, readonly

GENESIS = "0" * 64
_LOCK_KEY = 0x6475_6261_6E  # "duban"
# one encoder, not one per row (json.dumps with options builds a new one each call)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
_EVENT_COLUMNS = _COLUMNS[1:]  # what `record_many` writes (the database numbers the rows)


def canonical(event: StatusEvent | Row[Any] | SimpleNamespace) -> bytes:
    """The hashed content; an event or a row with the same column names."""
    return _encode(
        event.occurrence_id,
        event.from_status,
        event.to_status,
        event.actor,
        event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.note,
        event.evidence,
        event.prev_hash,
    )


def _encode(
    occurrence_id: int | None,
    from_status: str | None,
    to_status: str,
    actor: str,
    stamp: str,  # the moment in UTC, ISO 8601 to the microsecond
    note: str | None,
    evidence: Any,
    prev_hash: str,
) -> bytes:
    body = {
        "occurrence_id": occurrence_id,
        "from": from_status,
        "to": to_status,
        "actor": actor,
        "at": stamp,
        "note": note,
        "evidence": evidence,
        "prev": prev_hash,
    }
    return _CANONICAL.encode(body).encode()


def digest(event: StatusEvent | Row[Any] | SimpleNamespace) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


@dataclass(frozen=True)
class Change:
    """One status change to append: an occurrence moves from one status to another."""

    occurrence_id: int
    from_status: str | None
    to_status: str
    at: datetime
    note: str | None = None


def _lock_head(session: Session) -> str:
    """The hash of the ledger's last row, with the right to append after it: on PostgreSQL a
    transaction-scoped advisory lock queues concurrent writers (SQLite's transactions begin
    IMMEDIATE, which serialises them already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_LOCK_KEY))  # type: ignore[call-overload]
    last = session.exec(
        select(StatusEvent.hash).order_by(col(StatusEvent.id).desc()).limit(1)
    ).first()
    return last or GENESIS


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
    assert occurrence.id is not None
    event = StatusEvent(
        occurrence_id=occurrence.id,
        from_status=occurrence.status,
        to_status=to_status,
        actor=actor,
        at=now,
        note=note,
        evidence=evidence or [],
        prev_hash="",  # both set by _append, under the ledger's lock
        hash="",
    )
    occurrence.status = to_status
    occurrence.next_reminder_at = None  # the reminder sweep looks at it afresh
    session.add(occurrence)
    return _append(session, event)


def _append(session: Session, event: StatusEvent) -> StatusEvent:
    """Chain `event` after the ledger's last row (under the lock) and add it."""
    event.prev_hash = _lock_head(session)
    event.hash = digest(event)
    session.add(event)
    session.flush()
    return event


def append_many(*, session: Session, changes: Sequence[Change], actor: str) -> int:
    """`transition` for many occurrences at once, in the caller's transaction: the
    occurrences' statuses are set with one statement per status and batch, then
    `record_many` appends their ledger rows. Any of them the session holds are expired, so
    that they are read afresh. Returns the rows appended."""
    if not changes:
        return 0
    session.flush()
    by_status: dict[str, list[int]] = {}
    for change in changes:
        by_status.setdefault(change.to_status, []).append(change.occurrence_id)
    for status, ids in by_status.items():  # the sweep looks at them afresh
        update_by_ids(session, Occurrence.__table__, ids, status=status, next_reminder_at=None)  # type: ignore[attr-defined]
    return record_many(session=session, changes=changes, actor=actor)


def record_many(*, session: Session, changes: Sequence[Change], actor: str) -> int:
    """The ledger rows of status changes already made in this transaction: the chain for the
    whole batch is computed in one pass under the same lock as `transition`'s, then written
    in driver batches. Returns the rows appended."""
    if not changes:
        return 0
    previous = _lock_head(session)
    rows = []
    for change in changes:
        row = {
            "occurrence_id": change.occurrence_id,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "actor": actor,
            "at": change.at,
            "note": change.note,
            "evidence": (),  # [] in JSON; a tuple is converted once for the whole batch
            "prev_hash": previous,
        }
        previous = row["hash"] = digest(SimpleNamespace(**row))
        rows.append(row)
    table = StatusEvent.__table__  # type: ignore[attr-defined]
    insert_many(session, table, _EVENT_COLUMNS, map(itemgetter(*_EVENT_COLUMNS), rows))
    analyze_after(session, table, len(rows))
    changed = {change.occurrence_id for change in changes}
    for held in list(session.identity_map.values()):
        if isinstance(held, Occurrence) and held.id in changed:
            session.expire(held)
    return len(rows)


@dataclass
class Verification:
    rows: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(session: Session, batch: int = 10_000) -> Verification:
    """Recompute the chain in id order, in batches (flat memory); name the first broken row.

    A changed row no longer matches its own hash; a deleted or inserted row breaks the next
    row's link. (Rows appended at the end by someone who knows this algorithm are not detected:
    anchoring the latest hash outside the database is what closes that gap.)
    """
    return verify_span(session, 0, None, batch)


# The columns as text, as SQLite stores them ("2022-01-05 01:00:00.000000" in UTC, JSON text):
# parsing every timestamp and JSON list only to print them again would cost more than hashing.
_AS_TEXT = {
    "sqlite": _COLUMNS,
    "postgresql": tuple(
        {
            "at": "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
            "evidence": "evidence::text",
        }.get(name, name)
        for name in _COLUMNS
    ),
}


def verify_span(
    session: Session, after_id: int, upto_id: int | None, batch: int = 10_000
) -> Verification:
    """`verify` for the rows with `after_id` < id <= `upto_id` (None: to the end): the first
    row's link is checked against the row before the span, as the whole chain would."""
    expected = _hash_before(session, after_id)
    rows, last_id = 0, after_id
    connection = session.connection()
    columns = _AS_TEXT[connection.dialect.name]
    statement = f"SELECT {', '.join(columns)} FROM status_event WHERE id > ? "
    statement += "AND id <= ? " if upto_id is not None else ""
    statement += "ORDER BY id LIMIT ?"
    while True:
        bounds = (last_id, upto_id, batch) if upto_id is not None else (last_id, batch)
        chunk = connection.exec_driver_sql(_params(statement, connection), bounds).fetchall()
        if not chunk:
            return Verification(rows)
        for row in chunk:
            event_id, prev_hash, hash_ = row[0], row[8], row[9]
            if prev_hash != expected:
                return Verification(
                    rows, event_id, "与上一行的链接断开：之前的行被删除、插入或改动"
                )
            if _raw_digest(row) != hash_:
                return Verification(rows, event_id, "内容与哈希不符：该行被改动")
            expected, rows, last_id = hash_, rows + 1, event_id


def _params(statement: str, connection: Any) -> str:
    """`?` placeholders in the driver's own style."""
    style = connection.dialect.paramstyle
    return statement if style == "qmark" else statement.replace("?", "%s")


def _hash_before(session: Session, after_id: int) -> str:
    before = session.exec(
        select(StatusEvent.hash)
        .where(col(StatusEvent.id) <= after_id)
        .order_by(col(StatusEvent.id).desc())
        .limit(1)
    ).first()
    return before or GENESIS


def _raw_digest(row: Any) -> str:
    """`digest` of a row of `_AS_TEXT`'s columns: the same canonical content."""
    _, occurrence_id, from_status, to_status, actor, at, note, evidence, prev_hash, _ = row
    stamp = f"{at[:10]}T{at[11:]}+00:00" if len(at) == 26 else _stamp(at)
    evidence = [] if evidence == "[]" else json.loads(evidence)
    content = _encode(
        occurrence_id, from_status, to_status, actor, stamp, note, evidence, prev_hash
    )
    return hashlib.sha256(content).hexdigest()


def _stamp(at: str) -> str:
    moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return moment.isoformat(timespec="microseconds")


def _verify_span_apart(url: str, after_id: int, upto_id: int) -> Verification:
    engine = readonly(engine_for(url))
    try:
        with Session(engine) as session:
            return verify_span(session, after_id, upto_id)
    finally:
        engine.dispose()


def verify_parallel(url: str, workers: int | None = None, min_rows: int = 50_000) -> Verification:
    """`verify` with the id range split over processes (hashing is CPU work): each checks its
    span, its first link against the row before it; the first broken span names the row.
    A ledger under `min_rows` is checked in this process (starting processes costs more)."""
    workers = workers or os.cpu_count() or 1
    engine = readonly(engine_for(url))
    try:
        with Session(engine) as session:
            low, high = session.execute(
                select(func.min(StatusEvent.id), func.max(StatusEvent.id))
            ).one()
            if high is None or workers == 1 or high - low < min_rows:
                return verify(session)
    finally:
        engine.dispose()
    step = -(-(high - low + 1) // workers)
    spans = [(url, low - 1 + n * step, min(low - 1 + (n + 1) * step, high)) for n in range(workers)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        results = list(pool.map(_verify_span_apart, *zip(*spans, strict=True)))
    before = 0
    for result in results:
        if not result.ok:
            return Verification(before + result.rows, result.broken_id, result.reason)
        before += result.rows
    return Verification(before)


def record(
    *, session: Session, to_status: str, actor: str, now: datetime, note: str
) -> StatusEvent:
    """Append a row about the plan rather than one occurrence (`occurrence_id` empty) — a
    督办通报 sent, with its SHA-256 in `note` — in the caller's transaction, chained like any."""
    event = StatusEvent(
        occurrence_id=None,
        to_status=to_status,
        actor=actor,
        at=now,
        note=note,
        evidence=[],
        prev_hash="",  # both set by _append
        hash="",
    )
    return _append(session, event)

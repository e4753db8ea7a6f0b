"""Sending a stored bulletin to its recipients, with the outbox's promises: each recipient's
outcome is recorded on the row; a recipient is marked "sending" and committed before the
network call, so a crash mid-send leaves it "uncertain" (never sent twice). A rerun sends to
those not reached yet — pending, or failed on every channel last time — and never again to a
"sent" or "uncertain" one. Each recipient's channels (its apprise tags) are tried in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from duban.models import Bulletin
from duban.tasks.remind.delivery import DeliveryError, Message, Transport


def _update(
    engine: Engine, bulletin_id: int, index: int, sent_at: dt.datetime | None = None, **values: Any
) -> None:
    with Session(engine) as session:
        row = session.get_one(Bulletin, bulletin_id)
        recipients = [dict(r) for r in row.recipients]  # reassigned: JSON changes in place are lost
        recipients[index].update(values)
        row.recipients = recipients
        if sent_at is not None and row.sent_at is None:
            row.sent_at = sent_at  # the first recipient reached
        session.add(row)
        session.commit()


def deliver(
    engine: Engine,
    bulletin_id: int,
    transport: Transport,
    *,
    tags_of: Mapping[str, Sequence[str]],
    attachments: Sequence[Path] = (),
    clock: Callable[[], dt.datetime],
) -> Bulletin:
    """Send the stored Markdown, exactly, to each recipient not tried yet; return the row."""
    with Session(engine) as session:
        row = session.get_one(Bulletin, bulletin_id)
        message = Message(row.title, row.markdown, tuple(attachments))
        todo = [dict(r) for r in row.recipients]
    for index, recipient in enumerate(todo):
        if recipient.get("status") == "sending":  # a dispatcher died here: may have gone out
            _update(engine, bulletin_id, index, status="uncertain")
            continue
        if recipient.get("status") not in ("pending", "failed"):
            continue
        _update(engine, bulletin_id, index, status="sending")
        errors = []
        for tag in tags_of.get(recipient["unit"]) or [recipient["unit"]]:
            try:
                transport.send(tag, message)
            except DeliveryError as exc:
                errors.append(str(exc))
                continue
            except Exception as exc:  # a bug in a plugin fails this channel, not the bulletin
                errors.append(f"{tag}: {type(exc).__name__}")
                continue
            now = clock()
            _update(engine, bulletin_id, index, now, status="sent", channel=tag, at=now.isoformat())
            break
        else:
            _update(engine, bulletin_id, index, status="failed", error="; ".join(errors))
    with Session(engine) as session:
        return session.get_one(Bulletin, bulletin_id)

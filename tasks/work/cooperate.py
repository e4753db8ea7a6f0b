"""协办: the cooperating units' inputs to the 主办 — what the 主办 sees (and who has sent
nothing) while writing its report, and what becomes of the inputs when the item closes.

Each 协办 unit has an occurrence of its own per period (duty `cooperating`), due before the
主办's deadline and reminded and escalated up its own chain like any other; its report is its
input, addressed to the 主办's occurrence (its parent). When the 主办's report is accepted the
item is closed: the inputs sent are accepted with it, and those never sent are closed as
cancelled — recorded as missed (`tasks.audit.queries.timeliness`), no longer reminded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from duban.models import Occurrence, StatusEvent
from duban.models.status import WAITING, Duty, Status
from duban.tasks.work.ledger import transition


@dataclass(frozen=True)
class Input:
    occurrence_id: int
    unit: str
    status: str
    due_at: dt.datetime
    submitted_at: dt.datetime | None = None
    note: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # the form's fields
    evidence: list[Any] = field(default_factory=list)  # links and stored files

    @property
    def sent(self) -> bool:
        return self.submitted_at is not None


def inputs_of(session: Session, lead_id: int) -> list[Input]:
    """Every 协办 input to this 主办 occurrence, each with its latest submission (if any)."""
    rows = session.exec(
        select(Occurrence)
        .where(Occurrence.parent_id == lead_id, Occurrence.duty == Duty.COOPERATING)
        .order_by(col(Occurrence.unit))
    ).all()
    found = []
    for o in rows:
        latest = session.exec(
            select(StatusEvent)
            .where(StatusEvent.occurrence_id == o.id, StatusEvent.to_status == Status.SUBMITTED)
            .order_by(col(StatusEvent.id).desc())
        ).first()
        form = (
            next((e for e in latest.evidence if isinstance(e, dict) and "form" in e), {})
            if latest
            else {}
        )
        found.append(
            Input(
                o.id or 0,
                o.unit,
                o.status,
                o.due_at,
                latest.at if latest else None,
                latest.note if latest else None,
                {k: v for k, v in form.items() if k not in ("form", "note")},
                [e for e in latest.evidence if not (isinstance(e, dict) and "form" in e)]
                if latest
                else [],
            )
        )
    return found


def close_inputs(session: Session, lead: Occurrence, actor: str, now: dt.datetime) -> int:
    """The item is closed: inputs sent are accepted with it; inputs never sent are cancelled
    (and so no longer reminded). How many were closed."""
    closed = 0
    for o in session.exec(
        select(Occurrence).where(
            Occurrence.parent_id == lead.id, Occurrence.duty == Duty.COOPERATING
        )
    ).all():
        if o.status == Status.SUBMITTED:
            to, note = Status.ACCEPTED, "主办已办结，协办意见随之办结"
        elif o.status in WAITING or o.status == Status.SCHEDULED:
            to, note = Status.CANCELLED, "主办已办结，未收到本单位的协办意见"
        else:
            continue
        o.closed_at = now
        transition(session=session, occurrence=o, to_status=to, actor=actor, now=now, note=note)
        closed += 1
    return closed

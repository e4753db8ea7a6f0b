"""What people do to an occurrence: each action checks the status, then appends to the ledger.

The CLI, the API and the flows call these and nothing else, so every path ends in the same
StatusEvents. A refused action raises `ActionRefused` with a sentence for the person.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from models import Occurrence, StatusEvent
from tasks.ledger import transition

STATUS_NAMES = {
    "scheduled": "未开始",
    "open": "待签收",
    "acknowledged": "已签收",
    "submitted": "已报送",
    "returned": "已退办",
    "accepted": "已办结",
    "cancelled": "已取消",
}


class ActionRefused(Exception):
    """The action does not apply to the occurrence as it is now."""


def _occurrence(session: Session, occurrence_id: int) -> Occurrence:
    occurrence = session.get(Occurrence, occurrence_id, with_for_update=True)
    if occurrence is None:
        raise ActionRefused(
            f"期次 {occurrence_id} 不存在。修正：用 duban schedule list 查看期次编号"
        )
    return occurrence


def acknowledge(
    *, session: Session, occurrence_id: int, actor: str, now: dt.datetime
) -> StatusEvent | None:
    """签收. Acknowledging twice is harmless: the second time changes nothing and returns None."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status == "acknowledged":
        return None
    if occurrence.status != "open":
        name = STATUS_NAMES.get(occurrence.status, occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，不能签收")
    occurrence.acknowledged_at = now
    return transition(
        session=session, occurrence=occurrence, to_status="acknowledged", actor=actor, now=now
    )


def submit(
    *,
    session: Session,
    occurrence_id: int,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
    evidence: list[str] | None = None,
) -> StatusEvent:
    """报送: the unit reports. A waiting occurrence only; submitting twice is refused."""
    occurrence = _occurrence(session, occurrence_id)
    if occurrence.status == "submitted":
        raise ActionRefused(f"期次 {occurrence_id} 已报送，正在等待审核，不能重复报送")
    if occurrence.status not in ("open", "acknowledged", "returned"):
        name = STATUS_NAMES.get(occurrence.status, occurrence.status)
        raise ActionRefused(f"期次 {occurrence_id} 当前状态为“{name}”，不能报送")
    if occurrence.acknowledged_at is None:
        occurrence.acknowledged_at = now  # reporting implies receipt
    return transition(
        session=session,
        occurrence=occurrence,
        to_status="submitted",
        actor=actor,
        now=now,
        note=note,
        evidence=list(evidence or []),
    )

"""整改: an accepted inspection's findings become rectifications, each for the unit where the
problem was found, due by the task's policy (`rectify_within_workdays` workdays after the
acceptance), reminded and escalated up that unit's own chain. The inspection closes when all
its rectifications are accepted.

A finding names its unit by starting with the unit's code or name and a colon —
"海曙区教育局：消防通道堵塞", "hs: 消防通道堵塞"; a finding that names none is the inspected
unit's own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, StatusEvent, Task, Unit
from duban.models.status import CLOSED, Duty, Status
from duban.tasks.remind.policy import Policy
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work.ledger import transition

PREFIX = re.compile(r"^\s*([^:：]{1,64}?)\s*[:：]\s*(.+)$", re.S)


@dataclass(frozen=True)
class Finding:
    unit: str  # where the problem was found: who puts it right
    text: str


def parse_finding(text: str, units: dict[str, str], default: str) -> Finding:
    """`units`: the plan's unit codes and names, each → its code."""
    match = PREFIX.match(text)
    if match and match.group(1).strip() in units:
        return Finding(units[match.group(1).strip()], match.group(2).strip())
    return Finding(default, text.strip())


def findings(session: Session, occurrence: Occurrence) -> list[Finding]:
    """The problems the accepted inspection report listed (its latest submission)."""
    latest = session.exec(
        select(StatusEvent)
        .where(
            StatusEvent.occurrence_id == occurrence.id, StatusEvent.to_status == Status.SUBMITTED
        )
        .order_by(col(StatusEvent.id).desc())
    ).first()
    texts: list[str] = []
    for item in latest.evidence if latest else []:
        if isinstance(item, dict) and item.get("form") == "inspection":
            texts += [str(f).strip() for f in item.get("findings", []) if str(f).strip()]
    if not texts:
        return []
    task = session.get_one(Task, occurrence.task_id)
    known: dict[str, str] = {}
    for unit in session.exec(select(Unit).where(Unit.plan_id == task.plan_id, Unit.active)):
        known[unit.code] = known[unit.name] = unit.code
    return [parse_finding(text, known, occurrence.unit) for text in texts]


def open_rectifications(
    session: Session, parent: Occurrence, found: list[Finding], actor: str, now: dt.datetime
) -> list[Occurrence]:
    """One 整改 occurrence per finding, for its unit, with its own deadline and reminders."""
    task = session.get_one(Task, parent.task_id)
    clock = plan_clock(session.get_one(Plan, task.plan_id))
    workdays = Policy.from_dict(task.reminders).rectify_within_workdays
    day = clock.calendar.add_workdays(clock.local_date(now), workdays)
    due = clock.at(day, parent.due_at.astimezone(clock.zone).time())
    opened = []
    for n, finding in enumerate(found, start=1):
        child = Occurrence(
            task_id=parent.task_id,
            key=f"{parent.key}/整改{n}",
            unit=finding.unit,
            duty=Duty.RECTIFICATION,
            opens_at=now,
            due_at=due,
            original_due_at=due,
            grace_workdays=0,
            parent_id=parent.id,
            subject=finding.text[:500],
            flow_run_id=parent.flow_run_id,
        )
        session.add(child)
        session.flush()
        transition(
            session=session,
            occurrence=child,
            to_status=Status.OPEN,
            actor=actor,
            now=now,
            note=f"整改：{finding.text[:500]}",
        )
        opened.append(child)
    return opened


def close_when_rectified(
    session: Session, parent_id: int, actor: str, now: dt.datetime
) -> StatusEvent | None:
    """The inspection closes once every rectification is accepted (or cancelled)."""
    parent = session.get_one(Occurrence, parent_id)
    children = session.exec(
        select(Occurrence).where(
            Occurrence.parent_id == parent_id, Occurrence.duty == Duty.RECTIFICATION
        )
    ).all()
    if parent.closed_at is not None or not all(c.status in CLOSED for c in children):
        return None
    parent.closed_at = now
    return transition(
        session=session,
        occurrence=parent,
        to_status=parent.status,
        actor=actor,
        now=now,
        note=f"{len(children)} 项整改全部完成，检查办结",
    )

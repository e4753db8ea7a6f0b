"""A compressed plan year for a newcomer (`duban demo`): what units and coordinators would do.

Each simulated week the caller runs the sweep (openings, reminders, artifacts); then `act_week`
plays the people, deterministically by occurrence id: most units acknowledge and report before
the deadline, some a few days late, a few never (they stay overdue and escalate); coordinators
accept, and now and then return a report first. The first inspection lists two findings, which
become rectifications; evaluations designate exactly their quota. Everything goes through
`tasks.actions`, so the ledger, the reminders and the audit views are the real ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models import Occurrence, Task
from tasks import actions
from tasks.policy import WAITING, Clock


@dataclass
class DemoStats:
    counts: Counter[str] = field(default_factory=Counter)
    returned: set[int] = field(default_factory=set)  # occurrences sent back once already


def mornings(clock: Clock, start: dt.date, weeks: int) -> list[dt.datetime]:
    """The first working morning (09:00) of each week from `start`."""
    found, day = [], start
    for _ in range(weeks):
        first = day if clock.calendar.is_workday(day) else clock.calendar.next_workday(day)
        found.append(clock.at(first, dt.time(9, 0)))
        day += dt.timedelta(days=7)
    return found


def fate(occurrence_id: int) -> str:
    """on-time (7 in 10), late (2 in 10) or never (1 in 10) — fixed by the id."""
    return {7: "late", 8: "late", 9: "never"}.get(occurrence_id * 7 % 10, "on-time")


def act_week(
    session: Session, plan_id: str, now: dt.datetime, until: dt.datetime, stats: DemoStats
) -> None:
    """What people do between this sweep (`now`) and the next (`until`)."""
    rows = session.exec(
        select(Occurrence, Task)
        .join(Task)
        .where(Task.plan_id == plan_id, col(Occurrence.status).in_(WAITING | {"submitted"}))
        .order_by(col(Occurrence.due_at), col(Occurrence.id))
    ).all()
    inspected = stats.counts["findings"] > 0
    for occurrence, task in rows:
        assert occurrence.id is not None
        unit, coordinator = f"demo:{task.owner}", "demo:dcs"
        if occurrence.status == "submitted":
            # every fifth report goes back once (退办), then is accepted
            accept = occurrence.id % 5 != 0 or occurrence.id in stats.returned
            if not accept:
                stats.returned.add(occurrence.id)
            actions.review(
                session=session,
                occurrence_id=occurrence.id,
                actor=coordinator,
                now=min(now + dt.timedelta(days=1), until - dt.timedelta(hours=1)),
                accept=accept,
                reason=None if accept else "材料不全，请补充佐证",
            )
            stats.counts["accepted" if accept else "returned"] += 1
            continue
        kind = fate(occurrence.id)
        when = occurrence.due_at - dt.timedelta(days=1)
        if kind == "late":
            when = occurrence.due_at + dt.timedelta(days=3)
        if (kind == "never" and occurrence.parent_id is None) or when >= until:
            continue  # never reports (stays overdue, escalates), or not this week
        when = max(when, now + dt.timedelta(hours=1))
        if occurrence.status == "open":
            actions.acknowledge(session=session, occurrence_id=occurrence.id, actor=unit, now=when)
        data: dict[str, object] = {"note": f"{task.title}：已完成"}
        form = task.kind if task.kind in ("inspection", "evaluation", "recruitment") else "general"
        if task.kind == "inspection" and occurrence.parent_id is None and not inspected:
            data["findings"] = ["消防通道堵塞", "监控存在盲区"]
            inspected = True
            stats.counts["findings"] += 2
        quota = int((task.target or {}).get("value") or 0)
        if task.kind == "evaluation":
            data["designated"] = [f"示范学校{n}" for n in range(1, max(quota, 1) + 1)]
            stats.counts["designated"] += max(quota, 1)
        value = None
        if task.kind == "recruitment":
            hires = quota or 1
            data.update(
                posted=hires, applied=hires * 6, shortlisted=hires * 2, interviewed=hires * 3 // 2
            )
            data["hired"] = value = float(hires)
        actions.submit_report(
            session=session,
            occurrence_id=occurrence.id,
            actor=unit,
            now=when,
            form=form,
            data=data,
            value=value,
        )
        stats.counts["late" if when > occurrence.due_at else "on-time"] += 1
    session.flush()

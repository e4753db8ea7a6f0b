"""Simulated units and coordinators for a replayed plan year (`duban up` on a past plan).

Up to a moment of the replay's clock, `act` does what people would have done by then: most
units acknowledge within a few hours of an opening and report two to fourteen days before
the deadline, some three to five days late, a few never (they stay overdue and are escalated); coordinators review a
day after a report and return every fifth once (退办), which the unit answers two days later.
The first inspection report lists two findings (→ 整改); an evaluation designates exactly its
quota; a recruitment reports its whole pipeline; a task with an indicator reports a count on
an even path to the target. Everything goes through `tasks.work.actions` — the calls the portal and
the CLI make — so the ledger, the reminders and the audits are the real ones.

Fates are fixed by the occurrence id, so every replay tells the same year. The units in `leave`
are not simulated at all: their work waits for the person at the portal and the Prefect UI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import Indicator, Occurrence, StatusEvent, Task, Unit
from duban.models.status import IN_HAND, Duty, Status
from duban.tasks.work import actions

UNIT, COORDINATOR = "simulated:{owner}", "simulated:coordinator"
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
FINDINGS = ("消防通道堵塞", "监控存在盲区")


@dataclass(frozen=True)
class Act:
    """One thing a simulated person did: the status it led to, on which occurrence."""

    what: str  # acknowledged | submitted | accepted | returned
    occurrence_id: int


def fate(occurrence_id: int) -> str:
    """on-time (7 in 10), late (2 in 10) or never (1 in 10) — fixed by the id."""
    return {7: "late", 8: "late", 9: "never"}.get(occurrence_id * 7 % 10, "on-time")


def act(
    session: Session, plan_id: str, *, until: dt.datetime, leave: Collection[str] = ()
) -> list[Act]:
    """Everything the simulated people would have done by `until` and have not done yet: an
    acknowledgement, the report after it, the review after that — as many steps as are due."""
    done: list[Act] = []
    for _ in range(MAX_STEPS):
        steps = _one_step_each(session, plan_id, until, leave)
        if not steps:
            break
        done += steps
    return done


MAX_STEPS = 8  # ack → report → return → report → review, and a 整改's own: never more


def _one_step_each(
    session: Session, plan_id: str, until: dt.datetime, leave: Collection[str]
) -> list[Act]:
    last = (
        select(StatusEvent.occurrence_id, func.max(StatusEvent.at).label("at"))
        .group_by(col(StatusEvent.occurrence_id))
        .subquery()
    )
    rows = session.exec(
        select(Occurrence, Task, last.c.at)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(last, last.c.occurrence_id == Occurrence.id)
        .where(
            Task.plan_id == plan_id,
            col(Occurrence.status).in_(IN_HAND),
            col(Occurrence.unit).not_in(list(leave)),
        )
        .order_by(col(Occurrence.due_at), col(Occurrence.id))
    ).all()
    inspected = session.exec(
        select(Occurrence.id)
        .join(Task)
        .where(Task.plan_id == plan_id, Occurrence.duty == Duty.RECTIFICATION)
    ).first()
    planned = []
    for occurrence, task, last_at in rows:
        step = _next_step(occurrence, last_at, until)
        if step is not None:
            planned.append((step[1], occurrence.id or 0, step[0], occurrence, task))
    done: list[Act] = []
    for when, _, what, occurrence, task in sorted(planned, key=lambda p: (p[0], p[1])):
        if occurrence.status not in IN_HAND:
            continue  # closed by an earlier step of this round (an input, when its 主办 closed)
        if what == "review":
            done.append(_review(session, occurrence, when))
        elif what == "acknowledge":
            actions.acknowledge(
                session=session, occurrence_id=occurrence.id or 0, actor=_unit(occurrence), now=when
            )
            done.append(Act("acknowledged", occurrence.id or 0))
        else:
            first = not inspected and occurrence.duty == Duty.LEAD and task.kind == "inspection"
            findings = _findings(session, plan_id) if first else ()
            if findings:
                inspected = occurrence.id
            done.append(_report(session, occurrence, task, when, findings))
        session.flush()
    session.flush()
    return done


def _next_step(
    occurrence: Occurrence, last_at: dt.datetime, until: dt.datetime
) -> tuple[str, dt.datetime] | None:
    """What this occurrence's people do next, and when — if that moment has come."""
    after = last_at + dt.timedelta(minutes=1)
    destiny = "on-time" if occurrence.duty == Duty.RECTIFICATION else fate(occurrence.id or 0)
    if occurrence.status == Status.SUBMITTED:
        if occurrence.duty == Duty.COOPERATING:
            return None  # an input waits for its 主办's report, which closes it
        step = ("review", max(last_at + DAY, after))
    elif destiny == "never":
        return None
    elif occurrence.status == Status.OPEN:
        step = ("acknowledge", max(occurrence.opens_at + 4 * HOUR, after))
    elif occurrence.status == Status.RETURNED:
        step = ("report", max(last_at + 2 * DAY, after))
    else:
        due, days = occurrence.due_at, (occurrence.id or 0) % 13
        planned = due + (3 + days % 3) * DAY if destiny == "late" else due - (2 + days) * DAY
        step = ("report", max(planned, after))
    return step if step[1] <= until else None


def _unit(occurrence: Occurrence) -> str:
    return UNIT.format(owner=occurrence.unit)


def _findings(session: Session, plan_id: str) -> tuple[str, ...]:
    """The first inspection's two problems: one its own, one found at a unit under another
    (a district bureau, a school), which gets that 整改."""
    below = session.exec(
        select(Unit)
        .where(
            Unit.plan_id == plan_id,
            Unit.role == "unit",
            col(Unit.parent).in_(
                select(Unit.code).where(Unit.plan_id == plan_id, Unit.role == "unit")
            ),
        )
        .order_by(col(Unit.code))
    ).first()
    return (FINDINGS[0], f"{below.name}：{FINDINGS[1]}" if below else FINDINGS[1])


def _review(session: Session, occurrence: Occurrence, when: dt.datetime) -> Act:
    returns = session.exec(
        select(func.count()).where(
            StatusEvent.occurrence_id == occurrence.id, StatusEvent.to_status == Status.RETURNED
        )
    ).one()
    accept = (occurrence.id or 0) % 5 != 0 or returns > 0  # every fifth goes back once
    actions.review(
        session=session,
        occurrence_id=occurrence.id or 0,
        actor=COORDINATOR,
        now=when,
        accept=accept,
        reason=None if accept else "材料不全，请补充佐证",
    )
    return Act("accepted" if accept else "returned", occurrence.id or 0)


def _report(
    session: Session,
    occurrence: Occurrence,
    task: Task,
    when: dt.datetime,
    findings: tuple[str, ...],
) -> Act:
    form, data, value = report_for(session, occurrence, task, when, findings)
    actions.submit_report(
        session=session,
        occurrence_id=occurrence.id or 0,
        actor=_unit(occurrence),
        now=when,
        form=form,
        data=data,
        value=value,
    )
    return Act("submitted", occurrence.id or 0)


def report_for(
    session: Session,
    occurrence: Occurrence,
    task: Task,
    when: dt.datetime,
    findings: tuple[str, ...] = (),
) -> tuple[str, dict[str, Any], float | None]:
    """(form, fields, measured value) of a plausible report for this occurrence."""
    if occurrence.duty == Duty.RECTIFICATION:
        return "rectification", {"note": f"已整改：{occurrence.subject}"}, None
    if occurrence.duty == Duty.COOPERATING:
        return "cooperating", {"note": f"协办意见：{task.title}，本单位负责部分已完成"}, None
    quota = int((task.target or {}).get("value") or 0) or 1
    note = f"{task.title}：已按要求完成"
    if task.kind == "inspection":
        return "inspection", {"note": note, "findings": list(findings)}, None
    if task.kind == "evaluation":
        named = [f"候选单位{n}" for n in range(1, quota + 3)]
        data: dict[str, Any] = {"note": note, "candidates": named, "designated": named[:quota]}
        return "evaluation", data, float(quota)
    if task.kind == "recruitment":
        data = {
            "note": note,
            "posted": quota,
            "applied": quota * 6,
            "shortlisted": quota * 2,
            "interviewed": quota * 3 // 2 or 1,
            "hired": quota,
        }
        return "recruitment", data, float(quota)
    count = _on_path(session, task, occurrence, when)
    return "general", {"note": note, "count": count}, count


def _on_path(
    session: Session, task: Task, occurrence: Occurrence, when: dt.datetime
) -> float | None:
    """A count for the task's indicator about where an even path to the target is by `when`
    (a little ahead for a unit on time, behind for a late one)."""
    if not task.indicator:
        return None
    indicator = session.exec(
        select(Indicator).where(Indicator.plan_id == task.plan_id, Indicator.code == task.indicator)
    ).first()
    if indicator is None:
        return None
    target = indicator.shares.get(occurrence.unit, indicator.target_value)
    year = when.astimezone(dt.UTC).year
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    share = (when - start) / (dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) - start)
    share = min(share * (1.05 if fate(occurrence.id or 0) == "on-time" else 0.9), 1.02)
    if indicator.comparator == "~":
        return round(target * (0.97 + 0.03 * share), 1)
    if indicator.target_unit == "%" and indicator.baseline is None:  # a rate, not a count
        return round(min(target * (0.96 + 0.04 * share), 100.0), 1)
    base = indicator.baseline if indicator.baseline is not None else 0.0
    if indicator.comparator == "<=" and indicator.baseline is None:
        base = target * 1.2
    value = base + (target - base) * share
    return round(value, 1) if indicator.target_unit == "%" or target % 1 else float(round(value))

"""What an occurrence's flow run does to the record, step by step — the domain side of
`flows.occurrence`, free of Prefect so that it can be read and tested alone.

A run claims the occurrence it follows, reads where the ledger stands (which step is next,
how many reports and returns there were: its waits are keyed by those counts), applies the
form it was given, and, when an inspection is accepted, hands each 整改 to a run of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, StatusEvent, Task
from duban.models.status import IN_HAND, Duty, Status
from duban.tasks.audit.queries import Filters, occurrence_facts, unit_names
from duban.tasks.audit.rollup import Rollup, rollups
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.timeline.opening import followed_by, open_due, unfollowed
from duban.tasks.work import actions
from duban.tasks.work.forms import measured_value, report_kind

T = TypeVar("T")
MAX_REFUSED = 20  # refused inputs in a row for one step before the run gives up (and fails)


class RefusedTooOften(RuntimeError):
    """A step kept receiving input the rules refuse: fail visibly rather than wait forever."""


def take_input(
    ask: Callable[[int], T],
    apply: Callable[[T], str],
    *,
    what: str,
    fix: str,
    limit: int = MAX_REFUSED,
) -> T:
    """Ask for a form (`ask(attempt)`: attempt 0, 1, … — each its own wait, never one asked
    before) until `apply` takes it (returns "" rather than why it refused); after `limit`
    refusals in a row, `RefusedTooOften`: the run fails, and the failure automation says so."""
    for attempt in range(limit):
        data = ask(attempt)
        if not apply(data):
            return data
    raise RefusedTooOften(f"{what}连续 {limit} 次输入未被接受，运行终止。修正：{fix}")


@dataclass(frozen=True)
class Followed:
    """The occurrence a run follows, as the run needs it."""

    id: int
    kind: str  # the form it reports in: the task's kind, or rectification for a 整改
    key: str
    opens_at: dt.datetime


@dataclass(frozen=True)
class Opening:
    keys: list[str]  # what was opened
    opened: list[int]  # … their ids
    mine: Followed | None  # what the run follows
    others: list[int]  # open occurrences of the task left to runs of their own
    group: list[int] = field(default_factory=list)  # 分办: the period's units a roll-up follows


def followed(session: Session, occurrence: Occurrence) -> Followed:
    task = session.get_one(Task, occurrence.task_id)
    kind = report_kind(task.kind, occurrence.duty)
    return Followed(occurrence.id or 0, kind, occurrence.key, occurrence.opens_at)


def open_and_claim(
    session: Session,
    *,
    plan_id: str,
    task_code: str | None,
    now: dt.datetime,
    run_id: str | None,
    on_time: dt.timedelta,
    occurrence_id: int | None = None,
    period: str | None = None,
) -> Opening:
    """Open what is due — all of the plan for the sweep, the task's, or the task-period a run
    is bound to (every unit's occurrence and every 协办 input of it) — then claim what the
    run follows: its own occurrence when bound to one; every unit's when it is the roll-up of
    a 分办 period; else the one it followed before a resume, else the latest open one no run
    follows yet."""
    if run_id and occurrence_id is None and period is None:
        if found := followed_by(session, run_id):
            return Opening([], [], followed(session, found), [])
    target = _task_period(session, plan_id, task_code, occurrence_id, period)
    opened = open_due(
        session=session,
        plan_id=plan_id,
        task_code=task_code,
        period=target,
        now=now,
        on_time_within=on_time,
    )
    keys, ids = [o.key for o in opened], [o.id for o in opened if o.id]
    if period is not None and target is not None:
        group = _leads(session, target)
        for occurrence in group:
            occurrence.flow_run_id = run_id
            session.add(occurrence)
        return Opening(keys, ids, None, [], [o.id or 0 for o in group])
    waiting: list[Occurrence] = []
    if occurrence_id is not None:
        bound = session.get_one(Occurrence, occurrence_id)
        waiting = [bound] if bound.status in IN_HAND else []
    elif task_code is not None and run_id:
        waiting = unfollowed(session=session, plan_id=plan_id, task_code=task_code, now=now)
    mine = None
    if waiting and run_id:
        waiting[-1].flow_run_id = run_id
        session.add(waiting[-1])
        mine = followed(session, waiting[-1])
    return Opening(keys, ids, mine, [o.id for o in waiting[:-1] if o.id])


def _task_period(
    session: Session,
    plan_id: str,
    task_code: str | None,
    occurrence_id: int | None,
    period: str | None,
) -> tuple[int, str] | None:
    if occurrence_id is not None:
        bound = session.get_one(Occurrence, occurrence_id)
        return bound.task_id, bound.key
    if period is not None and task_code is not None:
        task = session.exec(
            select(Task).where(Task.plan_id == plan_id, Task.code == task_code)
        ).one()
        return task.id or 0, period
    return None


def _leads(session: Session, period: tuple[int, str]) -> list[Occurrence]:
    """The units' own occurrences of a task-period (not 协办 inputs, not 整改)."""
    return list(
        session.exec(
            select(Occurrence)
            .where(
                Occurrence.task_id == period[0],
                Occurrence.key == period[1],
                Occurrence.duty == Duty.LEAD,
            )
            .order_by(col(Occurrence.unit))
        ).all()
    )


@dataclass(frozen=True)
class Progress:
    """Where the ledger stands for one occurrence."""

    status: str
    submissions: int
    returns: int

    @property
    def step(self) -> str | None:
        """What the run waits for next: the unit's report, the coordinator's review, or
        nothing (None: the occurrence is closed)."""
        if self.status not in IN_HAND:
            return None
        return "review" if self.status == Status.SUBMITTED else "report"

    @property
    def counter(self) -> int:
        """What keys the wait for this step: a new report after each return, a new review
        after each report — so a form answered before a resume is read back, not asked again."""
        return self.submissions if self.step == "review" else self.returns


def progress(session: Session, occurrence_id: int) -> Progress:
    status = session.get_one(Occurrence, occurrence_id).status
    counts = dict(
        session.exec(
            select(StatusEvent.to_status, func.count())
            .where(StatusEvent.occurrence_id == occurrence_id)
            .group_by(col(StatusEvent.to_status))
        ).all()
    )
    return Progress(status, counts.get(Status.SUBMITTED, 0), counts.get(Status.RETURNED, 0))


def apply_form(
    session: Session,
    *,
    occurrence_id: int,
    step: str,
    data: dict[str, Any],
    kind: str,
    actor: str,
    now: dt.datetime,
) -> StatusEvent | None:
    """Apply a report or review form. None when another path (CLI, API, portal) got there
    first; `actions.ActionRefused` when the rules refuse it."""
    if step == "report":
        return actions.submit_report(
            session=session,
            occurrence_id=occurrence_id,
            actor=actor,
            now=now,
            form=kind,
            data=data,
            value=measured_value(kind, data),
        )
    if session.get_one(Occurrence, occurrence_id).status != Status.SUBMITTED:
        return None
    return actions.review(
        session=session,
        occurrence_id=occurrence_id,
        actor=actor,
        now=now,
        accept=bool(data["accept"]),
        reason=data.get("reason"),
    )


def rectifications_of(session: Session, occurrence_id: int) -> list[int]:
    ids = session.exec(
        select(col(Occurrence.id))
        .where(Occurrence.parent_id == occurrence_id)
        .order_by(col(Occurrence.id))
    ).all()
    return [i for i in ids if i is not None]  # always, once stored


def bind_run(session: Session, occurrence_id: int, run_id: str) -> Occurrence:
    """Record which run follows the occurrence (its wake-ups and events point there)."""
    occurrence = session.get_one(Occurrence, occurrence_id)
    occurrence.flow_run_id = run_id
    session.add(occurrence)
    return occurrence


@dataclass(frozen=True)
class PeriodState:
    """Where a 分办 task-period stands, as its roll-up run needs it."""

    version: int  # the ledger rows of its occurrences: a new wait after every change
    rollup: Rollup
    waiting_review: dict[str, int]  # "海曙区教育局（期次 12）" → occurrence id
    names: dict[str, str]


def period_state(
    session: Session, *, plan_id: str, task_code: str, period: str, now: dt.datetime
) -> PeriodState:
    task = session.exec(select(Task).where(Task.plan_id == plan_id, Task.code == task_code)).one()
    leads = _leads(session, (task.id or 0, period))
    ids = [o.id for o in leads]
    version = session.exec(
        select(func.count()).select_from(StatusEvent).where(col(StatusEvent.occurrence_id).in_(ids))
    ).one()
    facts = [f for f in occurrence_facts(session, plan_id, Filters(task=task_code)) if f.id in ids]
    clock = plan_clock(session.get_one(Plan, plan_id))
    names = unit_names(session, plan_id)
    [row] = rollups(facts, clock=clock, now=now) or [
        Rollup(task.code, task.title, task.kind, period, now)
    ]
    waiting = {
        f"{names.get(o.unit, o.unit)}（期次 {o.id}）": o.id or 0
        for o in leads
        if o.status == Status.SUBMITTED
    }
    return PeriodState(version, row, waiting, names)


def expected_wait(session: Session, run_id: str, parameters: dict[str, Any]) -> str | None:
    """The key prefix a run that is waiting now should be waiting under, as the ledger stands
    (`report-<returns>-`, `review-<reports>-`, `rollup-<ledger rows>-`); None when its work is
    closed and it should end. A run waiting under another key missed a wake."""
    if parameters.get("period") is not None:
        task = session.exec(
            select(Task).where(
                Task.plan_id == parameters["plan_id"], Task.code == parameters["task_code"]
            )
        ).first()
        if task is None:
            return None
        leads = _leads(session, (task.id or 0, str(parameters["period"])))
        if all(o.status not in IN_HAND for o in leads):
            return None
        version = session.exec(
            select(func.count())
            .select_from(StatusEvent)
            .where(col(StatusEvent.occurrence_id).in_([o.id for o in leads]))
        ).one()
        return f"rollup-{version}-"
    occurrence_id = parameters.get("occurrence_id")
    if occurrence_id is None:
        found = followed_by(session, run_id)
        occurrence_id = found.id if found else None
    if occurrence_id is None:
        return None
    now_at = progress(session, int(occurrence_id))
    return f"{now_at.step}-{now_at.counter}-" if now_at.step else None

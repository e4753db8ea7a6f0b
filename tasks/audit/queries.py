"""Auditors' questions: what was due, who did it and when, on time or late — read, never written.

`occurrence_facts` is the one query (a join with correlated subqueries, no N+1); the rest are
pure functions over its rows and the plan's clock, so the CLI, the API and the exports answer
with the same numbers.

Definitions (stated once, used everywhere):
- an occurrence is *due* in a period when its (current) due date falls in it;
- it is *done* when the unit has reported (报送) — submitted or accepted; the moment that counts
  is its latest submission;
- *on time*: that submission came at or before the due moment plus the grace workdays;
  otherwise *late*, by the workdays from the due day to the submission day;
- *overdue now*: still waiting (open, acknowledged, returned) after the due moment and grace;
- an *extension* is a due date that differs from the original one (kept for the record).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import case, func, literal, type_coerce
from sqlalchemy import select as sa_select  # sqlmodel's select types up to 4 columns
from sqlmodel import Session, col, select

from duban.models import Occurrence, Plan, Reminder, StatusEvent, Task, Unit
from duban.models.plan import KINDS
from duban.models.status import REPORTED, WAITING, Duty, Status
from duban.models.tracking import OCCURRENCE_STATUSES
from duban.models.types import UTCDateTime
from duban.tasks.remind.policy import OccurrenceState, Policy, colour
from duban.tasks.timeline.calendar import Clock

Timeliness = Literal["on_time", "late", "overdue", "missed", "pending", "not_due", "cancelled"]


class FilterError(ValueError):
    """A filter value that names nothing, with the sentence (and the fix) to show."""


class PeriodError(FilterError):
    def __init__(self, text: str) -> None:
        super().__init__(f"时段“{text}”无效。修正：写成 2022、2022H1、2022Q2 或 2022-06")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date  # inclusive
    end: dt.date  # inclusive

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


_PERIOD = re.compile(r"^(\d{4})(?:(Q[1-4])|(H[12])|-(\d{2}))?$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """2022, 2022H1, 2022Q2 or 2022-06 — the plan's local dates, both ends included."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise PeriodError(text)
    year = int(match.group(1))
    quarter, half, month = match.group(2), match.group(3), match.group(4)
    if quarter:
        first, months = 3 * int(quarter[1]) - 2, 3
    elif half:
        first, months = 6 * int(half[1]) - 5, 6
    elif month:
        first, months = int(month), 1
        if not 1 <= first <= 12:
            raise PeriodError(text)
    else:
        first, months = 1, 12
    start = dt.date(year, first, 1)
    after = first + months
    end = dt.date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(text.strip().upper(), start, end)


@dataclass(frozen=True)
class OccurrenceFacts:
    id: int
    task: str
    title: str
    kind: str
    item: str | None
    indicator: str | None
    unit: str  # the unit that acts on it
    duty: str  # lead (主办) | cooperating (协办) | rectification (整改)
    key: str
    status: str
    opens_at: dt.datetime
    due_at: dt.datetime
    original_due_at: dt.datetime
    grace_workdays: int
    acknowledged_at: dt.datetime | None
    closed_at: dt.datetime | None
    submitted_at: dt.datetime | None  # the latest submission
    accepted_at: dt.datetime | None
    returns: int
    policy: Policy  # the task's reminder policy, built once per task


@dataclass(frozen=True)
class Filters:
    unit: str | None = None
    task: str | None = None
    kind: str | None = None
    item: str | None = None
    indicator: str | None = None
    status: str | None = None
    period: Period | None = None
    occurrence: int | None = None  # just this one


def occurrence_in_plan(
    session: Session, plan_id: str, occurrence_id: int
) -> tuple[Occurrence, Task] | None:
    """The occurrence and its task, if the occurrence belongs to this plan."""
    row = session.exec(
        select(Occurrence, Task)
        .join(Task)
        .where(Occurrence.id == occurrence_id, Task.plan_id == plan_id)
    ).first()
    return (row[0], row[1]) if row else None


class Typed(BaseModel):
    """Filters as a person typed them (CLI options, API query parameters), not yet checked."""

    unit: str | None = None
    task: str | None = None
    kind: str | None = None
    item: str | None = None
    indicator: str | None = None
    status: str | None = None
    period: str | None = None


def make_filters(typed: Typed) -> Filters:
    """Filters from what a person typed: an unknown kind, status or period is refused with
    the values that exist, not answered with an empty list."""
    if typed.kind is not None and typed.kind not in KINDS:
        raise FilterError(f"任务类型“{typed.kind}”无效。修正：使用 {'|'.join(KINDS)}")
    if typed.status is not None and typed.status not in OCCURRENCE_STATUSES:
        raise FilterError(
            f"期次状态“{typed.status}”无效。修正：使用 {'|'.join(OCCURRENCE_STATUSES)}"
        )
    period = parse_period(typed.period) if typed.period else None
    return Filters(
        typed.unit, typed.task, typed.kind, typed.item, typed.indicator, typed.status, period
    )


def _ledger_columns(narrow: bool) -> tuple[tuple[Any, Any, Any], Any]:
    """(latest submission, latest acceptance, returns) per occurrence, and the subquery to
    join for them (None when they are correlated subqueries)."""
    if narrow:
        # correlated per occurrence (index occurrence_id, at): a unit's rows never scan the ledger
        def latest(status: str) -> Any:
            return (
                select(func.max(StatusEvent.at))
                .where(StatusEvent.occurrence_id == Occurrence.id, StatusEvent.to_status == status)
                .scalar_subquery()
            )

        returns: Any = (
            select(func.count())
            .where(
                StatusEvent.occurrence_id == Occurrence.id, StatusEvent.to_status == Status.RETURNED
            )
            .scalar_subquery()
        )
        return (latest(Status.SUBMITTED), latest(Status.ACCEPTED), returns), None

    # the whole plan: one pass over the ledger beats an index probe per occurrence
    def when(status: str) -> Any:
        return case((col(StatusEvent.to_status) == status, StatusEvent.at))

    per = (
        select(
            StatusEvent.occurrence_id,
            func.max(when(Status.SUBMITTED)).label("submitted"),
            func.max(when(Status.ACCEPTED)).label("accepted"),
            func.sum(case((col(StatusEvent.to_status) == Status.RETURNED, 1), else_=0)).label(
                "returns"
            ),
        )
        .group_by(col(StatusEvent.occurrence_id))
        .subquery()
    )
    return (per.c.submitted, per.c.accepted, func.coalesce(per.c.returns, 0)), per


def _on_tasks(query: Any, filters: Filters) -> Any:
    for column, value in (
        (Task.code, filters.task),
        (Task.kind, filters.kind),
        (Task.item, filters.item),
        (Task.indicator, filters.indicator),
    ):
        if value is not None:
            query = query.where(column == value)
    return query


def _on_occurrences(query: Any, filters: Filters, zone: ZoneInfo) -> Any:
    for column, value in (
        (Occurrence.unit, filters.unit),
        (Occurrence.status, filters.status),
        (Occurrence.id, filters.occurrence),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.period is not None:  # due on a local date of the period: its UTC bounds
        first = dt.datetime.combine(filters.period.start, dt.time(), zone)
        after = dt.datetime.combine(filters.period.end + dt.timedelta(days=1), dt.time(), zone)
        query = query.where(
            col(Occurrence.due_at) >= first.astimezone(dt.UTC),
            col(Occurrence.due_at) < after.astimezone(dt.UTC),
        )
    return query


def _narrowed(query: Any, filters: Filters, zone: ZoneInfo) -> Any:
    """A query joining occurrences and their tasks, filtered."""
    return _on_occurrences(_on_tasks(query, filters), filters, zone)


def _page_ids(
    session: Session, plan_id: str, filters: Filters, zone: ZoneInfo, page: tuple[int, int]
) -> list[int]:
    """The ids of one page, soonest due first. The plan's tasks are a subquery and
    `task_id + 0` keeps SQLite off the task index, so the page walks `ix_occurrence_due_id`
    in order and stops after it: no sort of the whole plan, no ledger facts for rows not
    shown."""
    tasks = _on_tasks(select(Task.id).where(Task.plan_id == plan_id), filters)
    query = _on_occurrences(
        select(Occurrence.id).where((col(Occurrence.task_id) + 0).in_(tasks)), filters, zone
    )
    query = query.order_by(col(Occurrence.due_at), col(Occurrence.id))
    return list(session.exec(query.limit(page[0]).offset(page[1])).all())


def count_occurrences(session: Session, plan_id: str, filters: Filters = Filters()) -> int:
    """How many occurrences `occurrence_facts` gives for these filters, counted in SQL."""
    zone = ZoneInfo(session.get_one(Plan, plan_id).timezone)
    query = (
        select(func.count())
        .select_from(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan_id)
    )
    return int(session.execute(_narrowed(query, filters, zone)).scalar_one())


def occurrence_facts(
    session: Session,
    plan_id: str,
    filters: Filters = Filters(),
    page: tuple[int, int] | None = None,
) -> list[OccurrenceFacts]:
    """The plan's occurrences with their ledger facts, soonest due first, filtered in SQL;
    `page` (limit, offset) pages in SQL too, so a page costs the same at any plan size."""
    narrow = page is not None or any(
        (filters.unit, filters.task, filters.item, filters.indicator, filters.occurrence)
    )
    ledger, per = _ledger_columns(narrow)
    query = (
        sa_select(
            col(Occurrence.id),
            col(Task.code),
            col(Task.title),
            col(Task.kind),
            col(Task.item),
            col(Task.indicator),
            col(Occurrence.unit),
            col(Occurrence.duty),
            col(Occurrence.key),
            col(Occurrence.status),
            col(Occurrence.opens_at),
            col(Occurrence.due_at),
            col(Occurrence.original_due_at),
            col(Occurrence.grace_workdays),
            col(Occurrence.acknowledged_at),
            col(Occurrence.closed_at),
            *ledger,
            col(Task.id),
        )
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.plan_id) == plan_id)
        .order_by(col(Occurrence.due_at), col(Occurrence.id))
    )
    if per is not None:
        query = query.outerjoin(per, per.c.occurrence_id == Occurrence.id)
    zone = ZoneInfo(session.get_one(Plan, plan_id).timezone)
    query = _narrowed(query, filters, zone)
    if page is not None:
        query = query.where(
            col(Occurrence.id).in_(_page_ids(session, plan_id, filters, zone, page))
        )
    policies = {
        task_id: Policy.from_dict(reminders)
        for task_id, reminders in session.execute(
            select(Task.id, Task.reminders).where(Task.plan_id == plan_id)
        ).all()
    }
    facts = []
    for row in session.execute(query).all():
        *head, submitted_at, accepted_at, returns, task_id = row
        values = [*head, _utc(submitted_at), _utc(accepted_at), returns or 0, policies[task_id]]
        facts.append(OccurrenceFacts(*values))
    return facts


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)  # SQLite's aggregate loses the column type


def late_at(f: OccurrenceFacts | _Group, clock: Clock) -> dt.datetime:
    if not f.grace_workdays:
        return f.due_at
    day = clock.calendar.add_workdays(clock.local_date(f.due_at), f.grace_workdays)
    return clock.at(day, f.due_at.astimezone(clock.zone).time())


def timeliness(
    f: OccurrenceFacts | _Group, clock: Clock, now: dt.datetime
) -> tuple[Timeliness, int]:
    """(state, workdays late) of one occurrence at `now`."""
    due_day = clock.local_date(f.due_at)
    if f.status == Status.CANCELLED:
        if f.duty == Duty.COOPERATING and f.closed_at and f.closed_at > late_at(f, clock):
            # the item closed without this 协办 input, after it was due: never sent
            return "missed", clock.calendar.workdays_between(due_day, clock.local_date(f.closed_at))
        return "cancelled", 0
    if f.status in REPORTED and f.submitted_at is not None:
        if f.submitted_at <= late_at(f, clock):
            return "on_time", 0
        return "late", clock.calendar.workdays_between(due_day, clock.local_date(f.submitted_at))
    if f.status in WAITING and now > late_at(f, clock):
        return "overdue", clock.calendar.workdays_between(due_day, clock.local_date(now))
    if f.status == Status.SCHEDULED or f.opens_at > now:
        return "not_due", 0
    return "pending", 0


@dataclass(frozen=True)
class SummaryRow:
    key: str  # unit code or kind
    duty: str  # by unit: lead (its own work, 整改 included) or cooperating (协办); by kind: ""
    name: str
    due: int  # due by now, or already done
    done: int
    on_time: int
    late: int
    overdue: int
    missed: int  # 协办 inputs never sent before the item closed
    on_time_rate: float | None  # on time / (done + overdue now)
    average_workdays_late: float | None  # over the late and the overdue


def summary(
    facts: Sequence[OccurrenceFacts],
    *,
    by: Literal["unit", "kind"],
    names: dict[str, str],
    clock: Clock,
    now: dt.datetime,
) -> list[SummaryRow]:
    """By kind, or by unit — a unit's own work (主办, 整改) and its 协办 inputs counted apart,
    each a row of its own (`duty`: lead or cooperating)."""
    judged = []
    key: tuple[str, str]
    for f in facts:
        if by == "unit":
            key = (f.unit, Duty.COOPERATING if f.duty == Duty.COOPERATING else Duty.LEAD)
        else:
            key = (f.kind, "")
        judged.append((key, *timeliness(f, clock, now), 1))
    return _summary_rows(judged, names)


class _Group(NamedTuple):
    """The columns `timeliness` reads, shared by every occurrence of a group."""

    status: str
    duty: str
    opens_at: dt.datetime
    due_at: dt.datetime
    grace_workdays: int
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None


def summary_in_sql(
    session: Session,
    plan_id: str,
    filters: Filters = Filters(),
    *,
    by: Literal["unit", "kind"],
    names: dict[str, str],
    clock: Clock,
    now: dt.datetime,
) -> list[SummaryRow]:
    """`summary` of the plan's occurrences, counted in SQL: the database groups the
    occurrences that share everything `timeliness` reads (a deadline, a status, no report
    yet …) and each group is judged once — the workday arithmetic is done once per group,
    not once per occurrence. The same numbers as `summary(occurrence_facts(…))`."""
    submitted = (
        select(
            StatusEvent.occurrence_id,
            type_coerce(func.max(StatusEvent.at), UTCDateTime).label("at"),
        )
        .where(StatusEvent.to_status == Status.SUBMITTED)
        .group_by(col(StatusEvent.occurrence_id))
        .subquery()
    )
    if by == "unit":
        key: Any = Occurrence.unit
        part: Any = case(
            (col(Occurrence.duty) == Duty.COOPERATING, literal(Duty.COOPERATING.value)),
            else_=literal(Duty.LEAD.value),
        )
    else:
        key, part = Task.kind, literal("")
    shared = (
        col(Occurrence.status),
        col(Occurrence.duty),
        col(Occurrence.opens_at),
        col(Occurrence.due_at),
        col(Occurrence.grace_workdays),
        submitted.c.at,
        col(Occurrence.closed_at),
    )
    query = (
        sa_select(key, part, *shared, func.count())
        .join(Task, col(Task.id) == Occurrence.task_id)
        .outerjoin(submitted, submitted.c.occurrence_id == Occurrence.id)
        .where(col(Task.plan_id) == plan_id)
        .group_by(key, part, *shared)
    )
    judged = [  # the period's bounds in the plan's zone, which its clock carries
        ((row[0], row[1]), *timeliness(_Group(*row[2:9]), clock, now), row[9])
        for row in session.execute(_narrowed(query, filters, clock.zone))
    ]
    return _summary_rows(judged, names)


def _summary_rows(
    judged: Sequence[tuple[tuple[str, str], Timeliness, int, int]], names: dict[str, str]
) -> list[SummaryRow]:
    """Rows from ((key, part), state, workdays late, how many) — the last counts the
    occurrences judged alike."""
    count: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lateness: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])  # days, how many
    for group, state, days, n in judged:
        count[group][state] += n
        if state in ("late", "overdue", "missed"):
            lateness[group][0] += days * n
            lateness[group][1] += n
    rows = []
    for key, part in sorted(count):
        c = count[(key, part)]
        total_days, late = lateness[(key, part)]
        judged_n = c["on_time"] + c["late"] + c["overdue"] + c["missed"]
        rows.append(
            SummaryRow(
                key=key,
                duty=part,
                name=names.get(key, key),
                due=judged_n,
                done=c["on_time"] + c["late"],
                on_time=c["on_time"],
                late=c["late"],
                overdue=c["overdue"],
                missed=c["missed"],
                on_time_rate=round(c["on_time"] / judged_n, 4) if judged_n else None,
                average_workdays_late=round(total_days / late, 2) if late else None,
            )
        )
    return rows


@dataclass(frozen=True)
class OverdueRow:
    facts: OccurrenceFacts
    workdays_overdue: int
    colour: str | None


def overdue(
    facts: Sequence[OccurrenceFacts], *, clock: Clock, now: dt.datetime
) -> list[OverdueRow]:
    """Waiting occurrences past their due moment (and grace), the latest first."""
    rows = []
    for f in facts:
        state, days = timeliness(f, clock, now)
        if state == "overdue":
            rows.append(OverdueRow(f, days, status_colour(f, clock, now)))
    return sorted(rows, key=lambda r: (-r.workdays_overdue, r.facts.due_at, r.facts.id))


def status_colour(f: OccurrenceFacts, clock: Clock, now: dt.datetime) -> str | None:
    """红黄绿灯 of one occurrence, by its task's reminder policy."""
    state = OccurrenceState(f.id, f.status, f.opens_at, f.due_at, f.grace_workdays, f.returns)
    return colour(state, policy=f.policy, clock=clock, now=now)


def extensions(facts: Sequence[OccurrenceFacts]) -> list[OccurrenceFacts]:
    return [f for f in facts if f.due_at != f.original_due_at]


def unit_names(session: Session, plan_id: str) -> dict[str, str]:
    return {u.code: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan_id))}


def runs_of(session: Session, occurrence_ids: Sequence[int]) -> dict[str, bool]:
    """The flow runs following these occurrences, each with whether its lateness has gone
    up the chain (an escalation stage was written) — what the runs list tags."""
    if not occurrence_ids:
        return {}
    runs = dict(
        session.exec(
            select(Occurrence.id, Occurrence.flow_run_id).where(
                col(Occurrence.id).in_(occurrence_ids), col(Occurrence.flow_run_id).is_not(None)
            )
        ).all()
    )
    escalated = set(
        session.exec(
            select(Reminder.occurrence_id).where(
                col(Reminder.occurrence_id).in_(occurrence_ids),
                col(Reminder.stage).startswith("escalate-"),
            )
        ).all()
    )
    return {str(run): occurrence in escalated for occurrence, run in runs.items()}


def monthly(
    facts: Sequence[OccurrenceFacts], clock: Clock, now: dt.datetime
) -> list[tuple[str, float | None]]:
    """On-time rate by the month of the due date, over the occurrences judged so far."""
    months: dict[str, list[str]] = defaultdict(list)
    for f in facts:
        state, _ = timeliness(f, clock, now)
        if state in ("on_time", "late", "overdue"):
            months[clock.local_date(f.due_at).strftime("%Y-%m")].append(state)
    return [
        (month, states.count("on_time") / len(states)) for month, states in sorted(months.items())
    ]

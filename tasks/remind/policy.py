"""Reminder policy: which stages are due, for whom, and the status colour — pure and clocked.

Given an occurrence, its unit's escalation chain, the plan calendar and `now`, the policy
answers which reminder stages have come due. Each stage has a stable identity — its name
carries the due date it counts from, and the return cycle — so that the outbox sends it
once (unique on occurrence + stage + recipient), and so that an extension (a new due date)
or a return (退办) starts the countdown again instead of being swallowed by old rows.

Stages:
- `ack` when the occurrence opens: the assignment, asking for acknowledgement (签收);
  `ack-escalate` to the next level when it is not acknowledged within `ack_within_workdays`.
  Acknowledging ends both.
- `before-N` N workdays before the due date (default 10, 3, 1), at the start of the working day.
- `overdue-K` every `overdue_every_workdays` workdays after the due date (and grace).
  Of these reminders to the unit only the latest that has come due is returned: after an
  outage the unit hears "3 workdays left", not a stale "10 left" as well.
- `escalate-M` M workdays overdue, to the next level of the chain each time: the unit's
  parent (its supervising leader), then theirs, and finally the coordinators.
Quiet hours (default 18:00–08:30, and all of every non-working day) shift a stage to the next
allowed moment; nothing is dropped. Submitted, accepted and cancelled occurrences get nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal, NamedTuple

from duban.models.status import REPORTED, WAITING, Status
from duban.tasks.timeline.calendar import Clock

Colour = Literal["green", "yellow", "red"]
_POLICIES: dict[Policy, Policy] = {}


@dataclass(frozen=True)
class Policy:
    before_workdays: tuple[int, ...] = (10, 3, 1)
    overdue_every_workdays: int = 2
    escalate_after_workdays: tuple[int, ...] = (3, 6)
    ack_within_workdays: int = 2
    day_starts: dt.time = dt.time(8, 30)
    day_ends: dt.time = dt.time(18, 0)
    yellow_within_workdays: int = 3
    # 消息必达: a reminder to a unit that has not acknowledged (签收) goes out on its next
    # channel this long after it was sent (working hours only); 0 turns it off
    next_channel_after_minutes: int = 120
    input_before_workdays: int = 5  # 协办: the input is due this much before the 主办's deadline
    rectify_within_workdays: int = 20  # 整改: due this long after the inspection is accepted

    def __hash__(self) -> int:  # a key of the calendar caches below: hashed once, not per call
        return self._hash

    @cached_property  # kept in the instance's __dict__, which a frozen dataclass allows
    def _hash(self) -> int:
        return hash(tuple(vars(self).values()))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        """The policy these plan settings describe; equal settings give the same object (the
        tasks of a plan share a few policies, and the caches below find them by identity)."""
        policy = cls._from_dict(data)
        return _POLICIES.setdefault(policy, policy)

    @classmethod
    def _from_dict(cls, data: Mapping[str, Any]) -> Policy:
        ends, starts = (data.get("quiet_hours") or "18:00-08:30").split("-")
        return cls(
            before_workdays=tuple(
                sorted(set(data.get("before_workdays", (10, 3, 1))), reverse=True)
            ),
            overdue_every_workdays=int(data.get("overdue_every_workdays", 2)),
            escalate_after_workdays=tuple(sorted(data.get("escalate_after_workdays", (3, 6)))),
            ack_within_workdays=int(data.get("ack_within_workdays", 2)),
            day_starts=dt.time.fromisoformat(starts),
            day_ends=dt.time.fromisoformat(ends),
            yellow_within_workdays=int(data.get("yellow_within_workdays", 3)),
            next_channel_after_minutes=int(data.get("next_channel_after_minutes", 120)),
            input_before_workdays=int(data.get("input_before_workdays", 5)),
            rectify_within_workdays=int(data.get("rectify_within_workdays", 20)),
        )


@dataclass(frozen=True)
class OccurrenceState:
    """What the policy needs to know about one occurrence."""

    id: int
    status: str
    opens_at: dt.datetime
    due_at: dt.datetime
    grace_workdays: int = 0
    returns: int = 0  # how many times it was sent back (退办)


class DueStage(NamedTuple):  # a tuple: a first sweep over a year makes half a million
    occurrence_id: int
    stage: str
    recipient: str
    planned_at: dt.datetime  # UTC, already out of quiet hours
    level: int  # 0: the unit itself; 1: its parent; …
    channel: int = 0  # which of the recipient's notify tags (>0: a 消息必达 relay)


def relay(
    stage: str, channel: int, sent_at: dt.datetime, *, policy: Policy, clock: Clock
) -> tuple[str, int, dt.datetime] | None:
    """消息必达: the relay of a reminder the unit has not acknowledged — (stage, channel, when).

    A reminder sent on channel k becomes `<stage>@k+1` on the unit's next channel once
    `next_channel_after_minutes` have passed (moved out of quiet hours); the caller stops
    when the unit has no further channel or has acknowledged.
    """
    if not policy.next_channel_after_minutes:
        return None
    after = sent_at + dt.timedelta(minutes=policy.next_channel_after_minutes)
    base = stage.split("@", 1)[0]
    return f"{base}@{channel + 1}", channel + 1, clock.allowed(after, policy)


def still_due(stage: str, status: str) -> bool:
    """Whether an outbox row written earlier should still go out, given the occurrence now.

    Nothing goes out once the work is submitted, accepted or cancelled; the assignment, its
    escalation and every must-reach relay stop once the unit has acknowledged. A note that a
    channel is broken, or that a flow run failed, is not about the work: it always goes out.
    """
    if stage.startswith(("broken/", "alert/")):
        return True
    if status not in WAITING:
        return False
    if stage.startswith("ack") or "@" in stage:
        return status == Status.OPEN
    return True


def escalation_chain(owner: str, parents: Mapping[str, str | None]) -> list[str]:
    """The owner, then its parent, the parent's parent … (a cycle is cut; plan check forbids it)."""
    chain = [owner]
    while (parent := parents.get(chain[-1])) and parent not in chain:
        chain.append(parent)
    return chain


def escalation_recipients(
    chain: Sequence[str], coordinators: Sequence[str], level: int
) -> list[str]:
    """Level 1 is the unit's parent, level 2 the parent's parent …; past the top, the coordinators."""
    return [chain[level]] if level < len(chain) else list(coordinators)


def due_stages(
    occurrence: OccurrenceState,
    *,
    policy: Policy,
    clock: Clock,
    chain: Sequence[str],
    coordinators: Sequence[str],
    now: dt.datetime,
) -> list[DueStage]:
    """The stages of this occurrence that have come due by `now` (planned_at <= now).

    `chain` is the owner first, then its escalation path (parent, grandparent …).
    """
    entries = _due_entries(
        occurrence.status,
        occurrence.opens_at,
        occurrence.due_at,
        occurrence.grace_workdays,
        occurrence.returns,
        policy,
        clock,
        now,
    )
    return [
        DueStage(occurrence.id, stage, recipient, planned, level)
        for stage, planned, level in entries
        for recipient in escalation_recipients(chain, coordinators, level)
    ]


@lru_cache(maxsize=65536)  # a sweep meets each (deadline, status) many times: once per unit
def _due_entries(
    status: str,
    opens_at: dt.datetime,
    due_at: dt.datetime,
    grace: int,
    returns: int,
    policy: Policy,
    clock: Clock,
    now: dt.datetime,
) -> tuple[tuple[str, dt.datetime, int], ...]:
    """(stage, planned moment, escalation level) of the stages due by `now`, for any unit."""
    if status not in WAITING or opens_at > now:
        return ()
    found: list[tuple[str, dt.datetime, int]] = []
    if status == Status.OPEN and not returns:
        ack, ack_escalate = _acknowledgement(clock, policy, opens_at)
        found += [("ack", ack, 0), ("ack-escalate", ack_escalate, 1)]
    elif status == Status.RETURNED:
        found.append(("returned", clock.allowed(max(opens_at, now), policy), 0))

    due_day = _local_date(clock, due_at)
    overdue = _overdue(clock, due_day, _local_date(clock, now))
    latest = None
    for entry in _countdown(clock, policy, due_day, grace, overdue):
        if entry[2]:
            found.append(entry)
        elif opens_at <= entry[1] <= now:
            latest = entry  # a later reminder supersedes an unsent earlier one
    if latest is not None:
        found.append(latest)

    suffix = f"/r{returns}" if returns else ""
    return tuple(
        (stage + suffix, planned, level) for stage, planned, level in found if planned <= now
    )


def next_stage_at(
    occurrence: OccurrenceState, *, policy: Policy, clock: Clock, now: dt.datetime
) -> dt.datetime | None:
    """The earliest moment after `now` at which a new stage can come due, if nothing changes.

    The sweep skips the occurrence until then (None: never, it is not waiting). The answer is
    conservative: every planned moment of every stage `due_stages` could return later.
    """
    if occurrence.status not in WAITING:
        return None
    if occurrence.opens_at > now:
        return occurrence.opens_at
    moments: list[dt.datetime] = []
    if occurrence.status == Status.OPEN and not occurrence.returns:
        moments += _acknowledgement(clock, policy, occurrence.opens_at)
    elif occurrence.status == Status.RETURNED:  # due at the first working moment after the return
        moments.append(clock.allowed(now, policy))
    due_day = _local_date(clock, occurrence.due_at)
    moments += _future_countdown(
        clock, policy, due_day, occurrence.grace_workdays, _local_date(clock, now)
    )
    return min((m for m in moments if m > now), default=None)


@lru_cache(maxsize=65536)
def _future_countdown(
    clock: Clock, policy: Policy, due_day: dt.date, grace: int, today: dt.date
) -> tuple[dt.datetime, ...]:
    """Planned moments of the lead-time, the next overdue and the escalation stages."""
    calendar, step = clock.calendar, policy.overdue_every_workdays
    late_from = calendar.add_workdays(due_day, grace) if grace else due_day
    late = max(_overdue(clock, due_day, today) - grace, 0)
    first = step * max(1, -(-late // step))  # today's overdue stage (if any), then the next
    days = [calendar.add_workdays(due_day, -n) for n in policy.before_workdays]
    days += [calendar.add_workdays(late_from, k) for k in (first, first + step)]
    days += [calendar.add_workdays(late_from, m) for m in policy.escalate_after_workdays]
    return tuple(clock.at(day, policy.day_starts) for day in days)


# The same dates recur across thousands of occurrences (quarter ends, one `now` per
# sweep): the calendar arithmetic is done once per distinct input.


@lru_cache(maxsize=65536)
def _local_date(clock: Clock, moment: dt.datetime) -> dt.date:
    return clock.local_date(moment)


def _overdue(clock: Clock, due_day: dt.date, today: dt.date) -> int:
    return max(0, _overdue_signed(clock, due_day, today))


@lru_cache(maxsize=65536)
def _overdue_signed(clock: Clock, due_day: dt.date, today: dt.date) -> int:
    """Workdays from the due day to today: negative while there are workdays left."""
    return clock.calendar.workdays_between(due_day, today)


@lru_cache(maxsize=65536)
def _acknowledgement(
    clock: Clock, policy: Policy, opens_at: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    opened = _local_date(clock, opens_at)
    ack_by = clock.calendar.add_workdays(opened, policy.ack_within_workdays)
    escalate_at = clock.at(ack_by, opens_at.astimezone(clock.zone).time())
    return clock.allowed(opens_at, policy), clock.allowed(escalate_at, policy)


@lru_cache(maxsize=65536)
def _countdown(
    clock: Clock, policy: Policy, due_day: dt.date, grace: int, overdue: int
) -> tuple[tuple[str, dt.datetime, int], ...]:
    """(stage, planned moment, level) of the lead-time, overdue and escalation stages."""
    calendar, tag = clock.calendar, due_day.isoformat()

    def morning(day: dt.date) -> dt.datetime:  # `day` is a workday: the start of its hours
        return clock.at(day, policy.day_starts)

    stages = [
        (f"before-{n}/{tag}", morning(calendar.add_workdays(due_day, -n)), 0)
        for n in policy.before_workdays
    ]
    late_from = calendar.add_workdays(due_day, grace) if grace else due_day
    step = policy.overdue_every_workdays
    for k in range(step, max(overdue - grace, 0) + 1, step):
        stages.append((f"overdue-{k}/{tag}", morning(calendar.add_workdays(late_from, k)), 0))
    for level, m in enumerate(policy.escalate_after_workdays, start=1):
        if m <= overdue - grace:
            stages.append(
                (f"escalate-{m}/{tag}", morning(calendar.add_workdays(late_from, m)), level)
            )
    return tuple(stages)


def colour(
    occurrence: OccurrenceState, *, policy: Policy, clock: Clock, now: dt.datetime
) -> Colour | None:
    """红黄绿灯: red overdue, yellow inside the last lead time, green on track (None: cancelled)."""
    if occurrence.status == Status.CANCELLED:
        return None
    if occurrence.status in REPORTED:
        return "green"
    if now > _late_at(clock, occurrence.due_at, occurrence.grace_workdays):
        return "red"
    left = -_overdue_signed(clock, _local_date(clock, occurrence.due_at), _local_date(clock, now))
    return "yellow" if left <= policy.yellow_within_workdays else "green"


@lru_cache(maxsize=65536)
def _late_at(clock: Clock, due_at: dt.datetime, grace: int) -> dt.datetime:
    if not grace:
        return due_at
    day = clock.calendar.add_workdays(_local_date(clock, due_at), grace)
    return clock.at(day, due_at.astimezone(clock.zone).time())

"""每日汇总: a unit that asks for it hears once each working morning, not once per stage.

Pure. The sweep writes a digest unit's stages as ever (one outbox row each, the same unique
key), but plans the non-urgent ones for the working morning at or after the moment it writes
them (the policy's `day_starts`, 08:30 by default, on an official workday); the dispatcher
sends all the rows due for one recipient and channel as one message, so everything held for a
morning goes out together, with one portal link. Urgent stages keep their moment: an escalation (to the unit's superiors),
the last reminder before the deadline (`before-1`, `before-0`) and a must-reach relay (the
morning's message repeated on the unit's next channel when nobody acknowledged it).
A held row whose work moves on before the morning (acknowledged, submitted) is cancelled, not
sent — the outbox's rules are unchanged: never twice, never lost, an outcome per row.
"""

from __future__ import annotations

import datetime as dt

from duban.tasks.remind.policy import DueStage, Policy
from duban.tasks.timeline.calendar import Clock

LAST_DAY = ("before-0", "before-1")
LATE_SWEEP = dt.timedelta(minutes=30)  # a sweep this late still joins the morning's message


def urgent(stage: str) -> bool:
    """Whether a stage goes at once even to a unit that reads a daily digest."""
    name = stage.split("/", 1)[0]
    return "@" in stage or name.startswith(("escalate", "ack-escalate")) or name in LAST_DAY


def morning(moment: dt.datetime, *, policy: Policy, clock: Clock) -> dt.datetime:
    """The digest moment for something written at `moment`: `day_starts` of that day if it is
    an official workday and the morning has not begun (or began less than `LATE_SWEEP` ago:
    a late sweep still reaches that morning's message); else the next workday's."""
    local = moment.astimezone(clock.zone)
    day = local.date()
    if clock.calendar.is_workday(day):
        start = clock.at(day, policy.day_starts)
        if moment <= start:
            return start
        if moment < start + LATE_SWEEP:
            return moment
    return clock.at(clock.calendar.next_workday(day), policy.day_starts)


def hold(stage: DueStage, *, policy: Policy, clock: Clock, now: dt.datetime) -> DueStage:
    """The stage as a digest unit's outbox row: unless urgent, planned for the morning digest
    at or after the moment it is written (`now`) — never sent in the middle of the day."""
    if urgent(stage.stage):
        return stage
    at = morning(max(stage.planned_at, now), policy=policy, clock=clock)
    return stage._replace(planned_at=at)

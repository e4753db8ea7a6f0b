"""A task's occurrences from its schedule: pure, in the plan's time zone, on workdays.

A schedule is a one-off `due` date or an RFC 5545 `rrule` over the plan year. Each
occurrence has a stable `key` (its nominal date before rolling; "once" for a one-off), an opening moment and
a due moment. Due dates on non-working days follow the roll rule; the due moment is
`due_time` local time (default 18:00, the end of the working day). By default an
occurrence opens at 09:00 on the first workday of its period — the plan year's start for
the first or only one, the day after the previous due date for the next — or
`open_workdays_before` workdays before its due date when that is set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from duban.tasks.timeline.calendar import WorkCalendar

OPENING_TIME = dt.time(9, 0)
ONE_OFF_KEY = "once"  # a one-off task keeps its occurrence when its due date is edited


@dataclass(frozen=True)
class PlannedOccurrence:
    key: str
    opens_at: dt.datetime  # UTC
    due_at: dt.datetime  # UTC
    grace_workdays: int


def local_moment(day: dt.date, at: dt.time, timezone: str) -> dt.datetime:
    """A wall-clock moment in the plan's zone, as UTC."""
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


def nominal_dates(schedule: Mapping[str, Any], year: int) -> list[dt.date]:
    if schedule.get("due"):
        return [dt.date.fromisoformat(schedule["due"])]
    start = (
        dt.date.fromisoformat(schedule["start"]) if schedule.get("start") else dt.date(year, 1, 1)
    )
    until = (
        dt.date.fromisoformat(schedule["until"]) if schedule.get("until") else dt.date(year, 12, 31)
    )
    rule = rrulestr(schedule["rrule"], dtstart=dt.datetime.combine(start, dt.time()))
    end = dt.datetime.combine(until, dt.time())
    first = dt.datetime.combine(start, dt.time())
    return [moment.date() for moment in rule.between(first, end, inc=True)]


def plan_occurrences(
    schedule: Mapping[str, Any], *, year: int, timezone: str, calendar: WorkCalendar
) -> list[PlannedOccurrence]:
    due_time = dt.time.fromisoformat(schedule.get("due_time", "18:00"))
    roll = schedule.get("roll", "previous-workday")
    lead = schedule.get("open_workdays_before")
    period_start = (
        dt.date.fromisoformat(schedule["opens"])
        if schedule.get("opens")
        else dt.date.fromisoformat(schedule["start"])
        if schedule.get("start")
        else dt.date(year, 1, 1)
    )
    planned = []
    for nominal in nominal_dates(schedule, year):
        due = calendar.roll(nominal, roll)
        if lead is not None:
            opens = calendar.add_workdays(due, -lead) if lead else due
        else:
            opens = min(calendar.add_workdays(period_start, 0), due)
        planned.append(
            PlannedOccurrence(
                key=ONE_OFF_KEY if schedule.get("due") else nominal.isoformat(),
                opens_at=local_moment(opens, OPENING_TIME, timezone),
                due_at=local_moment(due, due_time, timezone),
                grace_workdays=int(schedule.get("grace_workdays", 0)),
            )
        )
        period_start = due + dt.timedelta(days=1)
    return planned


SWEEP_TIME = dt.time(9, 0)
LIVE_SWEEPS = tuple(dt.time(h, m) for h in range(8, 19) for m in (0, 15, 30, 45))  # 08:00–18:45


def live_sweeps(
    calendar: WorkCalendar, timezone: str, *, after: dt.datetime, count: int
) -> list[dt.datetime]:
    """The next `count` sweep moments after `after`: every 15 minutes from 08:00 to 18:45 on
    official workdays (调休 Saturdays included, holidays skipped), as UTC."""
    day = after.astimezone(ZoneInfo(timezone)).date()
    found: list[dt.datetime] = []
    while len(found) < count:
        if calendar.is_workday(day):
            found += [m for t in LIVE_SWEEPS if (m := local_moment(day, t, timezone)) > after]
        day += dt.timedelta(days=1)
    return found[:count]


def replay_sweeps(
    calendar: WorkCalendar, timezone: str, *, year: int, every_workdays: int
) -> list[dt.datetime]:
    """09:00 on every `every_workdays`-th official workday of the year (调休 Saturdays
    included, holidays skipped): the moments a replayed year is swept at."""
    first, days = dt.date(year, 1, 1), dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)
    workdays = [
        first + dt.timedelta(n)
        for n in range(days.days)
        if calendar.is_workday(first + dt.timedelta(n))
    ]
    return [local_moment(day, SWEEP_TIME, timezone) for day in workdays[::every_workdays]]

"""A bulletin's period: a week (Monday to Sunday) or a calendar month, in the plan's dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from duban.tasks.timeline.calendar import WorkCalendar

Cadence = Literal["week", "month"]


class BadPeriod(ValueError):
    """A period a person typed that names no week or month, with the fix."""


@dataclass(frozen=True)
class BulletinPeriod:
    cadence: Cadence
    start: dt.date  # inclusive
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        """The key it is stored under: the week's Monday (2022-06-27) or the month (2022-06)."""
        return self.start.isoformat() if self.cadence == "week" else f"{self.start:%Y-%m}"

    @property
    def name(self) -> str:
        """2022年第26周（6月27日—7月3日） or 2022年6月."""
        if self.cadence == "month":
            return f"{self.start.year}年{self.start.month}月"
        week = self.start.isocalendar().week
        return (
            f"{self.start.year}年第{week}周（{self.start.month}月{self.start.day}日—"
            f"{self.end.month}月{self.end.day}日）"
        )

    def previous(self) -> BulletinPeriod:
        return period_of(self.cadence, self.start - dt.timedelta(days=1))

    def next(self) -> BulletinPeriod:
        return period_of(self.cadence, self.end + dt.timedelta(days=1))


def period_of(cadence: Cadence, day: dt.date) -> BulletinPeriod:
    """The week or month that holds `day`."""
    if cadence == "week":
        start = day - dt.timedelta(days=day.weekday())
        return BulletinPeriod("week", start, start + dt.timedelta(days=6))
    start = day.replace(day=1)
    after = (start + dt.timedelta(days=32)).replace(day=1)
    return BulletinPeriod("month", start, after - dt.timedelta(days=1))


def parse(week: str | None, month: str | None) -> BulletinPeriod:
    """`--week 2022-06-27` (any day of it) or `--month 2022-06`: exactly one."""
    if (week is None) == (month is None):
        raise BadPeriod("请指定一个时段。修正：写 --week 2022-06-27 或 --month 2022-06（二选一）")
    if week is not None:
        try:
            return period_of("week", dt.date.fromisoformat(week.strip()))
        except ValueError:
            raise BadPeriod(f"日期“{week}”无效。修正：写成 2022-06-27") from None
    assert month is not None
    match = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BadPeriod(f"月份“{month}”无效。修正：写成 2022-06")
    return period_of("month", dt.date(int(match.group(1)), int(match.group(2)), 1))


@dataclass(frozen=True)
class Issue:
    """A scheduled bulletin: sent at `at` (UTC), covering `period` (the one just ended)."""

    at: dt.datetime
    period: BulletinPeriod


def first_workday(calendar: WorkCalendar, period: BulletinPeriod) -> dt.date:
    """The period's first official workday (a 调休 Saturday counts; a holiday week may have none
    until its weekend)."""
    return calendar.next_workday(period.start - dt.timedelta(days=1))


def issues_after(
    calendar: WorkCalendar,
    timezone: str,
    *,
    cadence: Cadence,
    time: dt.time,
    after: dt.datetime,
    count: int,
) -> list[Issue]:
    """The next `count` bulletins after `after`: each on the first workday of a week or month
    at `time`, covering the week or month before it."""
    zone = ZoneInfo(timezone)
    period = period_of(cadence, after.astimezone(zone).date())
    found: list[Issue] = []
    while len(found) < count:
        at = dt.datetime.combine(first_workday(calendar, period), time, zone).astimezone(dt.UTC)
        if at > after:
            found.append(Issue(at, period.previous()))
        period = period.next()
    return found

"""Official Chinese working days: holidays, adjusted working weekends (调休) and local changes.

The official data comes from `chinesecalendar`, which transcribes the State Council's
yearly 《关于…部分节假日安排的通知》 day by day, including 调休, and names the holiday
behind each day. `holidays.China()` was the alternative: it matched on 2026, but for a
year the State Council has not published yet it returns a rule-based guess with no 调休,
and a guess is exactly what a deadline must not rest on. So a year outside the bundled
data is an error (`CalendarDataMissing`) that says how to supply it: a `calendar:` section
in the plan file that `covers` the year and lists its holidays and working weekends.
The same section carries local changes in covered years (a typhoon closure, an extra
working day).

Arithmetic runs on a sorted list of workday ordinals, so that adding N workdays or
counting them is a binary search, not a walk.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

import chinese_calendar

if TYPE_CHECKING:
    from duban.models import Plan
    from duban.tasks.remind.policy import Policy

OFFICIAL_YEARS = range(2004, 2027)  # what the installed chinesecalendar covers
Roll = Literal["previous-workday", "next-workday", "keep"]

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
WEEKDAYS = "一二三四五六日"


class CalendarDataMissing(Exception):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚无数据（内置数据覆盖 {OFFICIAL_YEARS.start}–"
            f"{OFFICIAL_YEARS.stop - 1} 年）。修正：国务院办公厅发布通知后，在计划文件的 calendar "
            f"段写明 covers: [{year}]，并在 holidays 和 workdays 中列出该年的放假日期和调休上班日期；"
            f"或升级 chinesecalendar。"
        )


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    workday: bool
    reason: str


class WorkCalendar:
    def __init__(
        self,
        holidays: Mapping[dt.date, str] | None = None,
        workdays: Mapping[dt.date, str] | None = None,
        covers: Iterable[int] = (),
    ) -> None:
        self._holidays = dict(holidays or {})
        self._workdays = dict(workdays or {})
        self._covers = frozenset(covers)
        self._years: tuple[int, int] | None = None  # loaded range, inclusive
        self._ordinals: list[int] = []

    @classmethod
    def from_spec(cls, spec: Mapping[str, object] | None) -> WorkCalendar:
        """From a plan's stored `calendar` section ({covers, holidays, workdays})."""
        spec = spec or {}

        def days(key: str) -> dict[dt.date, str]:
            entries = spec.get(key) or []
            assert isinstance(entries, list)
            return {dt.date.fromisoformat(e["date"]): e.get("name", "") for e in entries}

        covers = spec.get("covers") or []
        assert isinstance(covers, list)
        return cls(days("holidays"), days("workdays"), covers)

    # -- single days ----------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return year in self._covers or year in OFFICIAL_YEARS

    def explain(self, day: dt.date) -> DayInfo:
        if not self.covers(day.year):
            raise CalendarDataMissing(day.year)
        weekend = day.weekday() >= 5
        if day in self._holidays:
            return DayInfo(day, False, self._holidays[day] or "本地停工")
        if day in self._workdays:
            return DayInfo(day, True, self._workdays[day] or "本地调整上班")
        if day.year in self._covers:
            return DayInfo(day, not weekend, f"星期{WEEKDAYS[day.weekday()]}")
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        zh = HOLIDAY_NAMES.get(name or "", name or "")
        if is_holiday and not weekend and name:
            return DayInfo(day, False, f"{zh}放假")
        if is_holiday:
            return DayInfo(
                day, False, f"{zh}假期" if name else f"星期{WEEKDAYS[day.weekday()]}（周末）"
            )
        if weekend:
            return DayInfo(day, True, f"{zh}调休上班")
        return DayInfo(day, True, "工作日")

    def is_workday(self, day: dt.date) -> bool:
        self._ensure(day.year, day.year)
        return self._rank(day.toordinal()) is not None

    # -- arithmetic -----------------------------------------------------------------

    def next_workday(self, day: dt.date) -> dt.date:
        """The first workday after `day`."""
        return self.add_workdays(day, 1)

    def previous_workday(self, day: dt.date) -> dt.date:
        """The last workday before `day`."""
        return self.add_workdays(day, -1)

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The n-th workday after `day` (n < 0: before it; n == 0: `day` rolled forward).

        `day` itself is never counted, so the result is always a workday.
        """
        if n == 0:
            return day if self.is_workday(day) else self.add_workdays(day, 1)
        ordinal = day.toordinal()
        low = high = day.year
        while True:
            self._ensure(low, high)
            if n > 0:
                index = bisect_right(self._ordinals, ordinal) + n - 1
            else:
                index = bisect_left(self._ordinals, ordinal) + n
            if 0 <= index < len(self._ordinals):
                break
            assert self._years is not None
            low, high = (low, self._years[1] + 1) if n > 0 else (self._years[0] - 1, high)
        return dt.date.fromordinal(self._ordinals[index])

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Workdays in (start, end]; negative when `end` is before `start`."""
        if end < start:
            return -self.workdays_between(end, start)
        self._ensure(start.year, end.year)
        return bisect_right(self._ordinals, end.toordinal()) - bisect_right(
            self._ordinals, start.toordinal()
        )

    def roll(self, day: dt.date, rule: Roll) -> dt.date:
        """A due date that falls on a non-working day moves by the task's roll rule."""
        if rule == "keep" or self.is_workday(day):
            return day
        return self.previous_workday(day) if rule == "previous-workday" else self.next_workday(day)

    # -- the ordinal table ----------------------------------------------------------

    def _rank(self, ordinal: int) -> int | None:
        index = bisect_left(self._ordinals, ordinal)
        if index < len(self._ordinals) and self._ordinals[index] == ordinal:
            return index
        return None

    def _ensure(self, first: int, last: int) -> None:
        years = self._years
        if years is not None and years[0] < first and last < years[1]:
            return  # the hot path: already loaded, with a year of margin either side
        # Load one year of margin either side where data exists, so that arithmetic
        # near 1 January or 31 December does not fail for want of the next year.
        want_first = first - 1 if self.covers(first - 1) else first
        want_last = last + 1 if self.covers(last + 1) else last
        if self._years and self._years[0] <= want_first and self._years[1] >= want_last:
            return
        if self._years:
            want_first, want_last = min(want_first, self._years[0]), max(want_last, self._years[1])
        for year in range(want_first, want_last + 1):
            if not self.covers(year):
                raise CalendarDataMissing(year)
        day, end = dt.date(want_first, 1, 1), dt.date(want_last, 12, 31)
        ordinals = []
        while day <= end:
            if self.explain(day).workday:
                ordinals.append(day.toordinal())
            day += dt.timedelta(days=1)
        self._years, self._ordinals = (want_first, want_last), ordinals


class Clock:
    """The plan's calendar and time zone: its local dates, moments and working hours."""

    def __init__(self, calendar: WorkCalendar, timezone: str) -> None:
        self.calendar, self.zone = calendar, ZoneInfo(timezone)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.zone).astimezone(dt.UTC)

    def allowed(self, moment: dt.datetime, policy: Policy) -> dt.datetime:
        """The first moment at or after `moment` inside the policy's working hours on a workday."""
        local = moment.astimezone(self.zone)
        day, starts, ends = local.date(), policy.day_starts, policy.day_ends
        if self.calendar.is_workday(day):
            if local.time() < starts:
                return self.at(day, starts)
            if local.time() < ends:
                return moment.astimezone(dt.UTC)
        return self.at(self.calendar.next_workday(day), starts)


def plan_clock(plan: Plan) -> Clock:
    """The clock of an imported plan: its calendar (with the plan's own 调休 overrides) and zone."""
    return Clock(WorkCalendar.from_spec(plan.calendar), plan.timezone)

"""Official working days 2022–2026, the arithmetic on them, and time-zone edges."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.tasks.timeline.calendar import CalendarDataMissing, WorkCalendar
from duban.tasks.timeline.schedules import live_sweeps, local_moment, plan_occurrences

CAL = WorkCalendar()

# (date, workday, reason) from the State Council's yearly notices
OFFICIAL = [
    ("2022-01-29", True, "春节调休上班"),
    ("2022-04-02", True, "清明节调休上班"),
    ("2022-04-24", True, "劳动节调休上班"),
    ("2022-10-03", False, "国庆节放假"),
    ("2022-10-07", False, "国庆节放假"),
    ("2022-10-08", True, "国庆节调休上班"),
    ("2022-10-09", True, "国庆节调休上班"),
    ("2022-10-10", True, "工作日"),
    ("2022-11-26", False, "星期六（周末）"),
    ("2023-06-25", True, "端午节调休上班"),
    ("2023-09-29", False, "中秋节放假"),
    ("2023-10-07", True, "国庆节调休上班"),
    ("2024-02-04", True, "春节调休上班"),
    ("2024-02-15", False, "春节放假"),
    ("2024-09-14", True, "中秋节调休上班"),
    ("2024-10-12", True, "国庆节调休上班"),
    ("2025-01-26", True, "春节调休上班"),
    ("2025-10-08", False, "国庆节放假"),
    ("2025-10-11", True, "国庆节调休上班"),
    ("2026-01-04", True, "元旦调休上班"),
    ("2026-02-16", False, "春节放假"),
    ("2026-02-28", True, "春节调休上班"),
    ("2026-09-20", True, "国庆节调休上班"),
    ("2026-10-10", True, "国庆节调休上班"),
] + [(f"2026-10-0{d}", False, "国庆节") for d in range(1, 8)]


@pytest.mark.parametrize(("day", "workday", "reason"), OFFICIAL)
def test_official_schedule(day: str, workday: bool, reason: str) -> None:
    info = CAL.explain(dt.date.fromisoformat(day))
    assert info.workday is workday
    assert info.reason.startswith(reason)
    assert CAL.is_workday(info.date) is workday


@pytest.mark.parametrize(
    ("start", "n", "result"),
    [
        ("2022-09-30", 1, "2022-10-08"),  # over the National Day week to the 调休 Saturday
        ("2022-10-08", -1, "2022-09-30"),
        ("2022-10-01", 0, "2022-10-08"),  # a holiday rolls forward
        ("2022-12-30", 1, "2023-01-03"),  # across New Year
        ("2026-02-13", 1, "2026-02-14"),  # Friday to the Spring Festival 调休 Saturday
        ("2022-06-30", 10, "2022-07-14"),
    ],
)
def test_add_workdays(start: str, n: int, result: str) -> None:
    assert CAL.add_workdays(dt.date.fromisoformat(start), n).isoformat() == result


def test_a_year_without_data_is_an_error_that_says_how_to_supply_it() -> None:
    with pytest.raises(CalendarDataMissing) as caught:
        CAL.is_workday(dt.date(2027, 3, 1))
    assert "covers: [2027]" in str(caught.value)
    with pytest.raises(CalendarDataMissing):
        CAL.add_workdays(dt.date(2026, 12, 30), 3)


def test_plan_calendar_supplies_a_year_and_local_closures() -> None:
    cal = WorkCalendar.from_spec(
        {
            "covers": [2027],
            "holidays": [
                {"date": "2027-01-01", "name": "元旦"},
                {"date": "2022-09-14", "name": "台风停课"},
            ],
            "workdays": [{"date": "2027-01-02", "name": "元旦调休上班"}],
        }
    )
    assert cal.explain(dt.date(2027, 1, 1)).workday is False
    assert cal.explain(dt.date(2027, 1, 2)).reason == "元旦调休上班"
    assert cal.add_workdays(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 2)
    closure = cal.explain(dt.date(2022, 9, 14))
    assert (closure.workday, closure.reason) == (False, "台风停课")
    assert cal.add_workdays(dt.date(2022, 9, 13), 1) == dt.date(2022, 9, 15)


# far enough from the data's ends (2004, 2026) that ±60 workdays stay inside it
days = st.dates(min_value=dt.date(2004, 6, 1), max_value=dt.date(2026, 8, 31))
counts = st.integers(min_value=-60, max_value=60)


@settings(max_examples=400, deadline=None)
@given(days, counts)
def test_add_always_lands_on_a_workday(day: dt.date, n: int) -> None:
    assert CAL.is_workday(CAL.add_workdays(day, n))


@settings(max_examples=400, deadline=None)
@given(days, st.integers(min_value=1, max_value=60))
def test_add_then_subtract_returns_to_a_workday_at_or_before_the_start(
    day: dt.date, n: int
) -> None:
    back = CAL.add_workdays(CAL.add_workdays(day, n), -n)
    assert CAL.is_workday(back)
    assert back <= day
    if CAL.is_workday(day):
        assert back == day


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=0, max_value=40))
def test_workdays_between_agrees_with_repeated_next_workday(day: dt.date, n: int) -> None:
    end = day
    for _ in range(n):
        end = CAL.next_workday(end)
    assert CAL.workdays_between(day, end) == n
    assert CAL.workdays_between(end, day) == -n
    if n:
        assert CAL.add_workdays(day, n) == end


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 9, 1)),
    st.integers(min_value=0, max_value=120),
)
def test_workdays_between_counts_the_days_one_by_one(day: dt.date, span: int) -> None:
    end = day + dt.timedelta(days=span)
    walked = sum(CAL.is_workday(day + dt.timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.workdays_between(day, end) == walked


def test_a_2359_beijing_deadline_is_1559_utc_the_same_day() -> None:
    moment = local_moment(dt.date(2022, 6, 30), dt.time(23, 59), "Asia/Shanghai")
    assert moment.isoformat() == "2022-06-30T15:59:00+00:00"


@pytest.mark.parametrize("server_tz", ["UTC", "America/New_York", "Asia/Shanghai"])
def test_due_dates_do_not_depend_on_the_server_time_zone(server_tz: str) -> None:
    code = (
        "import json, datetime as dt\n"
        "from duban.tasks.timeline.calendar import Clock, WorkCalendar\n"
        "from duban.tasks.timeline.schedules import plan_occurrences\n"
        "from duban.tasks.remind.policy import Policy, OccurrenceState, due_stages\n"
        "occ = plan_occurrences({'rrule': 'FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1'}, year=2022,"
        " timezone='Asia/Shanghai', calendar=WorkCalendar())\n"
        "p = Policy(); c = Clock(WorkCalendar(), 'Asia/Shanghai')\n"
        "now = dt.datetime(2022, 7, 11, 3, tzinfo=dt.UTC)\n"
        "st = [(s.stage, s.recipient, s.planned_at.isoformat()) for o in occ for s in due_stages("
        "OccurrenceState(1, 'open', o.opens_at, o.due_at), policy=p, clock=c, chain=['aqc', 'ld'],"
        " coordinators=['dcs'], now=now)]\n"
        "print(json.dumps([[o.key, o.opens_at.isoformat(), o.due_at.isoformat()] for o in occ] + st))\n"
    )
    env = {**os.environ, "TZ": server_tz}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    reference = plan_occurrences(
        {"rrule": "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"},
        year=2022,
        timezone="Asia/Shanghai",
        calendar=CAL,
    )
    result = json.loads(out)
    assert result[:4] == [[o.key, o.opens_at.isoformat(), o.due_at.isoformat()] for o in reference]
    assert ["escalate-6/2022-06-30", "dcs", "2022-07-08T00:30:00+00:00"] in result


def test_roll_rules() -> None:
    saturday = dt.date(2022, 12, 31)
    assert CAL.roll(saturday, "previous-workday") == dt.date(2022, 12, 30)
    assert CAL.roll(saturday, "next-workday") == dt.date(2023, 1, 3)
    assert CAL.roll(saturday, "keep") == saturday
    schedule = {
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=25",
        "roll": "next-workday",
        "open_workdays_before": 5,
    }
    planned = plan_occurrences(schedule, year=2022, timezone="Asia/Shanghai", calendar=CAL)
    assert len(planned) == 12
    # 25 September 2022 is a Sunday: due Monday the 26th, opened 5 workdays earlier
    september = planned[8]
    assert september.key == "2022-09-25"
    assert september.due_at.isoformat() == "2022-09-26T10:00:00+00:00"
    assert september.opens_at.isoformat() == "2022-09-19T01:00:00+00:00"


@given(st.dates(dt.date(2022, 1, 1), dt.date(2022, 12, 20)))
@settings(max_examples=50, deadline=None)
def test_the_live_sweep_runs_on_official_workdays_only(start: dt.date) -> None:
    """Every 15 minutes, 08:00–18:45 Beijing, on the days the official calendar says are
    worked: 调休 Saturdays yes, holidays and ordinary weekends no."""
    calendar = WorkCalendar()
    after = local_moment(start, dt.time(0, 0), "Asia/Shanghai")
    moments = live_sweeps(calendar, "Asia/Shanghai", after=after, count=200)
    local = [m.astimezone(ZoneInfo("Asia/Shanghai")) for m in moments]
    assert all(calendar.is_workday(m.date()) for m in local)
    assert all(dt.time(8) <= m.time() <= dt.time(18, 45) and m.minute % 15 == 0 for m in local)
    days = sorted({m.date() for m in local})
    worked = [
        d
        for d in (days[0] + dt.timedelta(n) for n in range((days[-1] - days[0]).days))
        if calendar.is_workday(d)
    ]
    assert days[:-1] == worked[: len(days) - 1]  # no workday skipped


def test_the_sweep_runs_on_a_make_up_saturday_and_not_in_the_national_day_week() -> None:
    after = local_moment(dt.date(2022, 9, 30), dt.time(19, 0), "Asia/Shanghai")
    [first] = live_sweeps(WorkCalendar(), "Asia/Shanghai", after=after, count=1)
    assert first.astimezone(ZoneInfo("Asia/Shanghai")) == dt.datetime(
        2022, 10, 8, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")
    )  # 1–7 October is the holiday; Saturday 8 October is worked


@pytest.mark.parametrize(
    ("args", "result"),
    [
        (["2026-10-08", "-1"], "2026-09-30"),  # as the README writes it: no `--` needed
        (["2026-10-08", "--", "-1"], "2026-09-30"),
        (["2026-09-30", "1"], "2026-10-08"),  # over the National Day week
    ],
)
def test_calendar_add_takes_a_negative_count_as_typed(
    cli_nodb, args: list[str], result: str
) -> None:
    added = cli_nodb("calendar", "add", "--json", *args)
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["result"] == result

"""Reminder policy: due stages, recipients, quiet hours and the status colour."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.tasks.remind.policy import (
    Clock,
    OccurrenceState,
    Policy,
    colour,
    due_stages,
    escalation_chain,
    next_stage_at,
)
from duban.tasks.timeline.calendar import WorkCalendar

POLICY = Policy()
CLOCK = Clock(WorkCalendar(), "Asia/Shanghai")
UTC = dt.UTC
# Q2 safety inspection of 安全稳定处: opens Fri 2022-04-01 09:00, due Thu 2022-06-30 18:00 (Beijing)
Q2 = OccurrenceState(
    id=7,
    status="open",
    opens_at=dt.datetime(2022, 4, 1, 1, 0, tzinfo=UTC),
    due_at=dt.datetime(2022, 6, 30, 10, 0, tzinfo=UTC),
)
CHAIN = ["aqc", "ld-zh"]  # the unit, then its supervising leader
COORDINATORS = ["dcs"]


def beijing(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(UTC)


def stages(occurrence: OccurrenceState, now: str) -> set[tuple[str, str]]:
    found = due_stages(
        occurrence,
        policy=POLICY,
        clock=CLOCK,
        chain=CHAIN,
        coordinators=COORDINATORS,
        now=beijing(now),
    )
    return {(s.stage, s.recipient) for s in found}


ACKED = replace(Q2, status="acknowledged")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2022-04-01T08:00", set()),  # before it opens
        ("2022-06-15T09:00", set()),  # acknowledged, nothing due yet
        ("2022-06-16T08:29", set()),  # before-10 is at the start of the working day…
        ("2022-06-16T08:30", {("before-10/2022-06-30", "aqc")}),  # …16 June, 10 workdays ahead
        ("2022-06-27T10:00", {("before-3/2022-06-30", "aqc")}),  # the newest reminder only
        ("2022-06-29T10:00", {("before-1/2022-06-30", "aqc")}),
        ("2022-07-04T09:00", {("overdue-2/2022-06-30", "aqc")}),
        ("2022-07-05T09:00", {("overdue-2/2022-06-30", "aqc"), ("escalate-3/2022-06-30", "ld-zh")}),
        (
            "2022-07-08T09:00",
            {
                ("overdue-6/2022-06-30", "aqc"),
                ("escalate-3/2022-06-30", "ld-zh"),
                ("escalate-6/2022-06-30", "dcs"),
            },
        ),  # past the chain's top
    ],
)
def test_stages_of_an_acknowledged_occurrence(now: str, expected: set[tuple[str, str]]) -> None:
    assert stages(ACKED, now) == expected


def test_an_open_occurrence_asks_for_acknowledgement_and_escalates_if_ignored() -> None:
    assert stages(Q2, "2022-04-01T09:00") == {("ack", "aqc")}
    assert stages(Q2, "2022-04-02T12:00") == {("ack", "aqc")}  # 2 April 2022: a 调休 Saturday
    # acknowledgement is due within 2 workdays: Sat 2 April and Tue 6 April (4–5 April: 清明)
    assert stages(Q2, "2022-04-06T08:59") == {("ack", "aqc")}
    assert stages(Q2, "2022-04-06T09:00") == {("ack", "aqc"), ("ack-escalate", "ld-zh")}
    assert ("ack-escalate", "ld-zh") not in stages(ACKED, "2022-04-06T09:00")


@pytest.mark.parametrize("status", ["submitted", "accepted", "cancelled", "scheduled"])
def test_finished_or_unopened_occurrences_get_nothing(status: str) -> None:
    assert stages(replace(Q2, status=status), "2022-07-08T09:00") == set()


def test_a_returned_occurrence_starts_again_with_new_stage_identities() -> None:
    returned = replace(Q2, status="returned", returns=1)
    found = stages(returned, "2022-07-05T09:00")
    assert ("overdue-2/2022-06-30/r1", "aqc") in found
    assert ("escalate-3/2022-06-30/r1", "ld-zh") in found
    assert ("returned/r1", "aqc") in found
    assert found.isdisjoint(stages(ACKED, "2022-07-05T09:00"))


def test_an_extension_recounts_from_the_new_due_date() -> None:
    extended = replace(ACKED, due_at=beijing("2022-07-15T18:00"))
    assert stages(extended, "2022-07-05T09:00") == {("before-10/2022-07-15", "aqc")}
    assert stages(extended, "2022-07-12T09:00") == {("before-3/2022-07-15", "aqc")}


def test_quiet_hours_shift_but_never_drop() -> None:
    # A sweep on Saturday 2 July sees overdue-2 as planned for Monday 08:30: not yet due.
    assert stages(ACKED, "2022-07-02T10:00") == {("before-1/2022-06-30", "aqc")}
    found = due_stages(
        ACKED,
        policy=POLICY,
        clock=CLOCK,
        chain=CHAIN,
        coordinators=COORDINATORS,
        now=beijing("2022-07-04T08:30"),
    )
    assert [(s.stage, s.planned_at) for s in found] == [
        ("overdue-2/2022-06-30", beijing("2022-07-04T08:30"))
    ]
    # an occurrence opening at 19:00 on a Friday asks for acknowledgement on Monday morning
    late = replace(Q2, opens_at=beijing("2022-07-08T19:00"), due_at=beijing("2022-07-29T18:00"))
    found = due_stages(
        late,
        policy=POLICY,
        clock=CLOCK,
        chain=CHAIN,
        coordinators=COORDINATORS,
        now=beijing("2022-07-11T09:00"),
    )
    assert [(s.stage, s.planned_at) for s in found] == [("ack", beijing("2022-07-11T08:30"))]


def test_grace_period_delays_overdue_stages() -> None:
    graced = replace(ACKED, grace_workdays=2)
    assert stages(graced, "2022-07-04T09:00") == {("before-1/2022-06-30", "aqc")}
    assert stages(graced, "2022-07-06T09:00") == {("overdue-2/2022-06-30", "aqc")}


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        ("acknowledged", "2022-06-24T09:00", "green"),  # 4 workdays left
        ("acknowledged", "2022-06-27T09:00", "yellow"),  # 3 left: inside the last lead time
        ("acknowledged", "2022-06-30T17:59", "yellow"),
        ("acknowledged", "2022-06-30T18:01", "red"),
        ("returned", "2022-07-05T09:00", "red"),
        ("submitted", "2022-07-05T09:00", "green"),
        ("accepted", "2022-07-05T09:00", "green"),
        ("cancelled", "2022-07-05T09:00", None),
    ],
)
def test_status_colour(status: str, now: str, expected: str | None) -> None:
    occurrence = replace(Q2, status=status)
    assert colour(occurrence, policy=POLICY, clock=CLOCK, now=beijing(now)) == expected


moments = st.datetimes(
    min_value=dt.datetime(2022, 1, 1), max_value=dt.datetime(2025, 12, 1), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(
    opens=moments,
    days=st.integers(min_value=0, max_value=120),
    after=st.integers(min_value=0, max_value=200 * 24),
)
def test_every_due_stage_is_in_working_hours_and_not_in_the_future(
    opens: dt.datetime, days: int, after: int
) -> None:
    occurrence = replace(Q2, opens_at=opens, due_at=opens + dt.timedelta(days=days))
    now = opens + dt.timedelta(hours=after)
    found = due_stages(
        occurrence, policy=POLICY, clock=CLOCK, chain=CHAIN, coordinators=COORDINATORS, now=now
    )
    for stage in found:
        local = stage.planned_at.astimezone(CLOCK.zone)
        assert stage.planned_at <= now
        assert CLOCK.calendar.is_workday(local.date())
        assert POLICY.day_starts <= local.time() < POLICY.day_ends
    assert len({(s.stage, s.recipient) for s in found}) == len(found)


@settings(max_examples=300, deadline=None)
@given(
    opens=moments,
    days=st.integers(min_value=0, max_value=120),
    after=st.integers(min_value=0, max_value=200 * 24 * 4),
    later=st.integers(min_value=1, max_value=30 * 24 * 4),
    status=st.sampled_from(["open", "acknowledged", "returned"]),
    grace=st.integers(min_value=0, max_value=3),
)
def test_the_sweep_bookmark_never_skips_a_stage(
    opens: dt.datetime, days: int, after: int, later: int, status: str, grace: int
) -> None:
    """Until `next_stage_at` nothing new comes due; at that moment something does."""
    occurrence = replace(
        Q2,
        status=status,
        opens_at=opens,
        due_at=opens + dt.timedelta(days=days),
        grace_workdays=grace,
        returns=int(status == "returned"),
    )
    now = opens + dt.timedelta(minutes=15 * after)

    def keys(moment: dt.datetime) -> set[tuple[str, str]]:
        found = due_stages(
            occurrence,
            policy=POLICY,
            clock=CLOCK,
            chain=CHAIN,
            coordinators=COORDINATORS,
            now=moment,
        )
        return {(s.stage, s.recipient) for s in found}

    bookmark = next_stage_at(occurrence, policy=POLICY, clock=CLOCK, now=now)
    assert bookmark is not None and bookmark > now  # a waiting occurrence always has a next
    probe = now + dt.timedelta(minutes=15 * later)
    if probe < bookmark:
        assert keys(probe) <= keys(now)
    assert keys(bookmark) - keys(now), "the bookmark is not the moment of a new stage"


def test_escalation_chain_follows_parents_from_the_plan() -> None:
    parents = {"hs": "jjc", "jjc": "ld-jy", "ld-jy": None, "dcs": None}
    assert escalation_chain("hs", parents) == ["hs", "jjc", "ld-jy"]
    assert escalation_chain("dcs", parents) == ["dcs"]


def test_policy_from_the_plan_file() -> None:
    policy = Policy.from_dict(
        {
            "before_workdays": [1, 15, 5],
            "escalate_after_workdays": [4],
            "quiet_hours": "17:30-09:00",
        }
    )
    assert policy.before_workdays == (15, 5, 1)
    assert policy.escalate_after_workdays == (4,)
    assert (policy.day_starts, policy.day_ends) == (dt.time(9, 0), dt.time(17, 30))

"""考核评分: a unit's score is the sum of its events' points; a rule changes only what it concerns."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from duban.tasks.audit.queries import OccurrenceFacts
from duban.tasks.audit.scores import RULE_NAMES, Rules, occurrence_events, scores
from duban.tasks.remind.policy import Policy
from duban.tasks.timeline.calendar import Clock, WorkCalendar

CLOCK = Clock(WorkCalendar.from_spec({}), "Asia/Shanghai")
NOW = dt.datetime(2022, 12, 30, 10, tzinfo=dt.UTC)
UNITS = ("jjc", "xqc", "aqc")


def _due(day: int) -> dt.datetime:
    return dt.datetime(2022, 3, 1, 10, tzinfo=dt.UTC) + dt.timedelta(days=day)


@st.composite
def occurrences(draw: st.DrawFn) -> list[OccurrenceFacts]:
    rows = []
    for index in range(draw(st.integers(0, 12))):
        due = _due(draw(st.integers(0, 200)))
        status = draw(
            st.sampled_from(["open", "acknowledged", "returned", "submitted", "accepted"])
        )
        reported = status in ("submitted", "accepted")
        submitted = due + dt.timedelta(days=draw(st.integers(-5, 20))) if reported else None
        moved = draw(st.booleans())
        rows.append(
            OccurrenceFacts(
                id=index + 1,
                task=f"T-{index}",
                title="任务",
                kind="other",
                item=None,
                indicator=None,
                unit=draw(st.sampled_from(UNITS)),
                duty=draw(st.sampled_from(["lead", "cooperating", "rectification"])),
                key=f"2022-{index:02d}",
                status=status,
                opens_at=due - dt.timedelta(days=30),
                due_at=due + dt.timedelta(days=7) if moved else due,
                original_due_at=due,
                grace_workdays=0,
                acknowledged_at=None,
                closed_at=None,
                submitted_at=submitted,
                accepted_at=None,
                returns=draw(st.integers(0, 3)),
                policy=Policy(),
            )
        )
    return rows


points = st.floats(-5, 5, allow_nan=False).map(lambda x: round(x, 2))


@settings(max_examples=60, deadline=None)
@given(occurrences())
def test_a_units_score_is_the_sum_of_its_events_points(facts: list[OccurrenceFacts]) -> None:
    for row in scores(facts, Rules(), names={}, clock=CLOCK, now=NOW):
        assert row.score == round(sum(e.points for e in row.events), 4)
        assert all(e.unit == row.unit for e in row.events)
        ids = {f.id for f in facts if f.unit == row.unit}
        assert {e.occurrence_id for e in row.events} <= ids


@settings(max_examples=60, deadline=None)
@given(occurrences(), st.sampled_from(sorted(RULE_NAMES)), points)
def test_changing_a_rule_changes_only_the_scores_it_concerns(
    facts: list[OccurrenceFacts], rule: str, value: float
) -> None:
    before = {r.unit: r for r in scores(facts, Rules(), names={}, clock=CLOCK, now=NOW)}
    changed = dataclasses.replace(Rules(), **{rule: value})
    after = {r.unit: r for r in scores(facts, changed, names={}, clock=CLOCK, now=NOW)}
    assert set(before) == set(after)  # events exist whatever their points
    for unit, old in before.items():
        new = after[unit]
        concerned = [e for e in old.events if e.rule == rule]
        if not concerned:
            assert new.score == old.score
        else:
            delta = sum((value - Rules().points(rule)) * e.count * e.weight for e in concerned)
            assert abs(new.score - old.score - delta) < 1e-6
        untouched = [(e.occurrence_id, e.points) for e in old.events if e.rule != rule]
        assert untouched == [(e.occurrence_id, e.points) for e in new.events if e.rule != rule]


def test_the_common_rules_score_a_late_returned_cooperating_input() -> None:
    """协办 weighs 0.5: two workdays late (−1 each) and one 退办 (−2) make −2."""
    due = dt.datetime(2022, 6, 30, 10, tzinfo=dt.UTC)  # Thursday 18:00 Beijing
    facts = OccurrenceFacts(
        1, "T-x", "任务", "other", None, None, "jjc", "cooperating", "2022-06-30",
        "submitted", due, due, due, 0, None, None,
        due + dt.timedelta(days=4), None, 1, Policy(),
    )  # fmt: skip
    events = occurrence_events(facts, Rules(), CLOCK, NOW)
    assert [(e.rule, e.count, e.points) for e in events] == [
        ("late_workday", 2, -1.0),
        ("returned", 1, -1.0),
    ]
    assert (
        scores([facts], Rules(), names={"jjc": "基础教育处"}, clock=CLOCK, now=NOW)[0].score == -2
    )


def test_rules_from_the_plan_file_override_the_defaults() -> None:
    rules = Rules.from_dict({"on_time": 2, "cooperating": 0.8, "returned": -5})
    assert (rules.on_time, rules.returned, rules.late_workday) == (2.0, -5.0, -1.0)
    assert rules.weights["cooperating"] == 0.8 and rules.weights["lead"] == 1.0


def test_plan_check_names_the_line_of_a_mistyped_rule_and_a_bad_cadence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from duban.tasks.plan.check import check_file
    from tests.conftest import EXAMPLE_PLAN

    text = EXAMPLE_PLAN.read_text(encoding="utf-8")
    bad = text.replace("  on_time: 1\n", "  on_tme: 1\n").replace("every: week,", "every: day,")
    path = tmp_path / "plan.yaml"
    path.write_text(bad, encoding="utf-8")
    lines = bad.splitlines()
    result = check_file(path)
    found = {p.line: p.render() for p in result.problems}
    assert len(found) == 2
    assert (
        "on_tme" in found[lines.index("  on_tme: 1") + 1]
        and "late_workday" in found[lines.index("  on_tme: 1") + 1]
    )
    every = next(i for i, line in enumerate(lines, 1) if "every: day" in line)
    assert "“every”的取值“day”无效" in found[every]

"""The simulated people of a replayed year (`tasks.replay.simulate`): what they do is the real thing —
`tasks.work.actions` into the real ledger — and always the same year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import pairwise

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from duban.models import Measurement, Occurrence, Plan, StatusEvent, Task
from duban.models.db import session_scope
from duban.tasks.audit import queries
from duban.tasks.replay.simulate import act, fate
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.ledger import verify
from tests.conftest import EXAMPLE_PLAN

PERSON = "gjc"  # the unit `duban up` leaves to the newcomer (duban.replay.newcomer_unit)


def replay_year(engine: Engine, until: dt.datetime) -> Counter[str]:
    """Every three days of 2022 up to `until`: open what is due, let the people act."""
    done: Counter[str] = Counter()
    moment = dt.datetime(2022, 1, 4, 1, tzinfo=dt.UTC)
    while moment <= until:
        with session_scope(engine) as session:
            open_due(session=session, plan_id="edu-2022", now=moment)
            done.update(a.what for a in act(session, "edu-2022", until=moment, leave={PERSON}))
        moment += dt.timedelta(days=3)
    return done


def test_a_simulated_year_reports_on_time_late_and_never_through_the_ledger(
    cli, engine: Engine, session: Session
) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    done = replay_year(engine, dt.datetime(2022, 12, 31, tzinfo=dt.UTC))
    assert done["submitted"] > 40 and done["accepted"] > 40 and done["returned"] > 0

    rows = session.exec(select(Occurrence, Task).join(Task)).all()
    ledger = session.exec(select(StatusEvent).order_by(col(StatusEvent.id))).all()
    by_occurrence: dict[int, list[StatusEvent]] = {}
    for event in ledger:
        by_occurrence.setdefault(event.occurrence_id, []).append(event)
    timeliness: Counter[str] = Counter()
    for occurrence, task in rows:
        events = by_occurrence.get(occurrence.id or 0, [])
        if occurrence.unit == PERSON:  # left to the person: nobody acted for it
            assert {e.to_status for e in events} <= {"open", "cancelled"}, task.code
            continue
        reports = [e for e in events if e.to_status == "submitted"]
        if occurrence.duty != "rectification" and fate(occurrence.id or 0) == "never":
            assert not reports, task.code  # stays overdue, is escalated
        elif reports:
            timeliness["late" if reports[0].at > occurrence.due_at else "on time"] += 1
        assert all(a.at <= b.at for a, b in pairwise(events))  # in order
    assert timeliness["on time"] > timeliness["late"] > 0

    fixes = [o for o, _ in rows if o.duty == "rectification"]
    assert {f.subject for f in fixes} == {"消防通道堵塞", "监控存在盲区"}  # the first inspection's
    # … one its own, one found at a district bureau, which got that 整改
    assert {(f.subject, f.unit) for f in fixes} == {("消防通道堵塞", "aqc"), ("监控存在盲区", "cx")}
    assert all(f.status == "accepted" for f in fixes)
    measured = session.exec(select(Measurement)).all()
    assert len({m.indicator_id for m in measured}) >= 5  # the reports carry the indicators' numbers
    assert verify(session).ok


def test_the_same_moment_twice_does_nothing_more_and_every_replay_tells_the_same_year(
    cli, engine: Engine, session: Session, tmp_path
) -> None:
    from duban.models.db import make_engine, upgrade
    from tests.conftest import Cli

    june = dt.datetime(2022, 6, 30, 1, tzinfo=dt.UTC)  # on the replay's three-day grid
    again = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(make_engine(again))
    stories = []
    for run_cli, run_engine in ((cli, engine), (Cli(again, tmp_path / "d2"), make_engine(again))):
        assert (
            run_cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code
            == 0
        )
        assert sum(replay_year(run_engine, june).values()) > 30
        with session_scope(run_engine) as s:
            assert act(s, "edu-2022", until=june, leave={PERSON}) == []  # nothing left to do
            stories.append(  # the same year on either database (rows of one moment may differ in
                sorted(  # the order they were written in: compared as what happened, when)
                    (e.occurrence_id, e.to_status, e.at, e.actor, e.note or "")
                    for e in s.exec(select(StatusEvent))
                )
            )
    assert stories[0] == stories[1]


def test_the_summary_counted_in_sql_is_the_summary_of_every_occurrence(
    cli, engine: Engine, session: Session
) -> None:
    """On a simulated year (on time, late, returned, 协办 inputs missed, 整改, cancelled), the
    grouped SQL summary gives exactly the numbers of judging each occurrence, for each way of
    asking: by unit and kind, filtered, at several moments."""
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    replay_year(engine, dt.datetime(2022, 11, 30, tzinfo=dt.UTC))
    plan = session.get_one(Plan, "edu-2022")
    clock, names = plan_clock(plan), queries.unit_names(session, "edu-2022")
    asked = 0
    for now in (dt.datetime(2022, m, 15, 2, tzinfo=dt.UTC) for m in (3, 7, 12)):
        for filters in (
            queries.Filters(),
            queries.Filters(unit="jjc"),
            queries.Filters(period=queries.parse_period("2022Q2")),
            queries.Filters(kind="inspection"),
        ):
            facts = queries.occurrence_facts(session, "edu-2022", filters)
            for by in ("unit", "kind"):
                each = queries.summary(facts, by=by, names=names, clock=clock, now=now)
                grouped = queries.summary_in_sql(
                    session, "edu-2022", filters, by=by, names=names, clock=clock, now=now
                )
                assert grouped == each, (now, filters, by)
                asked += sum(r.due for r in each) > 0
    assert asked > 10  # most of the questions had occurrences to count

"""Auditors' query figures on a big ledger.

`python bench/audit.py [--occurrences 100000] [--events 1000000] [--units 200]`

Seeds one plan with N occurrences over a year and M hash-chained status events (a valid chain,
so that `verify` reads all of it), on SQLite and on PostgreSQL (a database created for the run),
then times: one unit's yearly history, the per-unit summary, the overdue list, and the chain
verification (with how much it grows the process's peak RSS — flat memory means little).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch import scratch_database
from sqlalchemy import text
from sqlmodel import select

from duban.models import Occurrence, Plan, StatusEvent, Task, Unit
from duban.models.db import make_engine, session_scope, upgrade
from duban.tasks.audit.history import unit_history
from duban.tasks.audit.queries import (
    Filters,
    occurrence_facts,
    overdue,
    summary,
    summary_in_sql,
    unit_names,
)
from duban.tasks.timeline.calendar import plan_clock
from duban.tasks.work.ledger import GENESIS, digest, verify, verify_parallel

NOW = dt.datetime(2022, 10, 12, 1, 0, tzinfo=dt.UTC)
PATH = ["scheduled", "open", "acknowledged", "submitted", "returned", "submitted", "accepted"]


def seed(engine, occurrences: int, events: int, units: int) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime(2022, 1, 4, 1, tzinfo=dt.UTC)
    with session_scope(engine) as session:
        session.add(Plan(id="bench", title="bench", year=2022, imported_at=start))
        session.flush()
        session.add(Unit(plan_id="bench", code="dcs", name="督查室", role="coordinator"))
        for n in range(units):
            session.add(Unit(plan_id="bench", code=f"u{n}", name=f"单位{n}"))
        tasks = [
            Task(
                plan_id="bench",
                code=f"T{n}",
                title=f"任务{n}",
                kind="inspection",
                owner=f"u{n}",
                schedule={"due": "2022-06-30"},
            )
            for n in range(units)
        ]
        session.add_all(tasks)
        session.flush()
        task_ids = [t.id for t in tasks]
    per = max(events // occurrences, 1)
    rows, chain, prev, at = [], [], GENESIS, start
    for i in range(occurrences):
        due = start + dt.timedelta(days=(i * 7) % 360, hours=9)
        steps = PATH[: min(per, len(PATH))]
        rows.append(
            {
                "task_id": task_ids[i % units],
                "unit": f"u{i % units}",
                "key": f"k{i}",
                "opens_at": due - dt.timedelta(days=30),
                "due_at": due,
                "original_due_at": due,
                "grace_workdays": 0,
                "status": steps[-1] if due < NOW else "open",
            }
        )
    with session_scope(engine) as session:
        for chunk in range(0, len(rows), 20_000):
            session.execute(Occurrence.__table__.insert(), rows[chunk : chunk + 20_000])  # type: ignore[attr-defined]
        ids = session.exec(select(Occurrence.id).order_by(Occurrence.id)).all()
    written = 0
    for n, occurrence_id in enumerate(ids):
        for k in range(per):
            if written >= events:
                break
            event = StatusEvent(
                occurrence_id=occurrence_id,
                from_status=PATH[k % len(PATH)],
                to_status=PATH[(k + 1) % len(PATH)],
                actor=f"unit:u{n % units}",
                at=at,
                note=None,
                evidence=[],
                prev_hash=prev,
                hash="",
            )
            event.hash = prev = digest(event)
            chain.append(event.model_dump(exclude={"id"}))
            at += dt.timedelta(seconds=20)
            written += 1
        if len(chain) >= 50_000:
            with session_scope(engine) as session:
                session.execute(StatusEvent.__table__.insert(), chain)  # type: ignore[attr-defined]
            chain = []
    if chain:
        with session_scope(engine) as session:
            session.execute(StatusEvent.__table__.insert(), chain)  # type: ignore[attr-defined]


def timed(label: str, function, repeat: int = 5):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"  {label:<44} best {best * 1000:8.1f} ms, median {median * 1000:8.1f} ms")
    return result


def run(url: str, label: str, occurrences: int, events: int, units: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    seed(engine, occurrences, events, units)
    if engine.dialect.name == "postgresql":  # what autovacuum would do after a bulk load
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    print(
        f"{label}: seeded {occurrences:,} occurrences, {events:,} status events, {units} units "
        f"in {time.perf_counter() - started:.0f} s"
    )
    with session_scope(engine) as session:
        plan = session.get_one(Plan, "bench")
        clock = plan_clock(plan)
        names = unit_names(session, "bench")
        history = timed(
            "one unit's yearly history (status events)",
            lambda: unit_history(session, "bench", "u7"),
        )
        print(f"    {len(history):,} events")
        facts = timed(
            "one unit's occurrences with timeliness facts",
            lambda: occurrence_facts(session, "bench", Filters(unit="u7")),
        )
        print(f"    {len(facts):,} occurrences")
        everything = timed(
            "all occurrences with timeliness facts (query)",
            lambda: occurrence_facts(session, "bench"),
            repeat=3,
        )
        timed(
            "per-unit summary over them (pure)",
            lambda: summary(everything, by="unit", names=names, clock=clock, now=NOW),
            repeat=3,
        )
        timed("overdue list over them (pure)", lambda: overdue(everything, clock=clock, now=NOW), 3)
        timed(
            "per-unit summary counted in SQL",
            lambda: summary_in_sql(session, "bench", by="unit", names=names, clock=clock, now=NOW),
            repeat=3,
        )
    with session_scope(engine) as session:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = timed("audit verify, the whole chain", lambda: verify(session), repeat=1)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(f"    {result.rows:,} rows intact={result.ok}; peak RSS grew by {grown / 1024:.1f} MiB")
    result = timed(
        "audit verify, split over the cores",
        lambda: verify_parallel(engine.url.render_as_string(hide_password=False)),
        repeat=1,
    )
    print(f"    {result.rows:,} rows intact={result.ok}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--occurrences", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = (args.occurrences, args.events, args.units)
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/audit.db", "SQLite", *sizes)
    if args.only == "sqlite":
        return
    with scratch_database() as url:
        run(url, "PostgreSQL", *sizes)


if __name__ == "__main__":
    main()

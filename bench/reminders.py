"""Reminder sweep and dispatch figures.

`python bench/reminders.py [--occurrences 100000] [--messages 300]`

1. The sweep over N waiting occurrences — finding the due stages and writing them to the
   outbox — on SQLite and on PostgreSQL (a database created for the run at 127.0.0.1): the
   first sweep over the whole backlog, then the sweeps that follow it (15 minutes later, the
   next working morning), which read only the occurrences whose bookmark has passed.
2. Dispatch to a loopback webhook (in its own process) that answers after 100 ms, as a remote
   IM API does: apprise's own fan-out of one message to many URLs, our dispatcher (one message
   per recipient, bounded thread pool) in one process and in 1, 2 and 4 processes sharing the
   outbox (timed from a common start once every process has started), and one Prefect task per
   message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import apprise
from scratch import scratch_database
from sqlalchemy import text
from sqlmodel import select

from duban.models import Occurrence, Plan, Reminder, Task, Unit
from duban.models.db import make_engine, session_scope, upgrade
from duban.tasks.remind.delivery import AppriseTransport
from duban.tasks.remind.dispatch import dispatch
from duban.tasks.remind.sweep import sweep
from tests.receivers import HttpReceiver

NOW = dt.datetime(2022, 7, 11, 3, 0, tzinfo=dt.UTC)


def seed_plan(engine, occurrences: int, units: int) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        session.add(Plan(id="bench", title="bench", year=2022, imported_at=NOW))
        session.flush()
        session.add(
            Unit(plan_id="bench", code="dcs", name="督查室", role="coordinator", notify=["dcs"])
        )
        session.add(Unit(plan_id="bench", code="ld", name="分管领导", role="leader", notify=["ld"]))
        for n in range(units):
            session.add(
                Unit(plan_id="bench", code=f"u{n}", name=f"单位{n}", parent="ld", notify=[f"u{n}"])
            )
        session.flush()
        tasks = []
        for n in range(units):
            task = Task(
                plan_id="bench",
                code=f"T{n}",
                title=f"任务{n}",
                kind="inspection",
                owner=f"u{n}",
                schedule={"due": "2022-06-30"},
                reminders={"before_workdays": [10, 3, 1]},
            )
            session.add(task)
            tasks.append(task)
        session.flush()
        start = dt.datetime(2022, 1, 4, 1, tzinfo=dt.UTC)
        rows = []
        for i in range(occurrences):
            due = start + dt.timedelta(days=5 + (i * 7) % 300, hours=9)
            rows.append(
                {
                    "task_id": tasks[i % units].id,
                    "unit": tasks[i % units].owner,
                    "key": f"k{i}",
                    "opens_at": start,
                    "due_at": due,
                    "original_due_at": due,
                    "grace_workdays": 0,
                    "status": "acknowledged" if i % 3 else "open",
                }
            )
        session.execute(Occurrence.__table__.insert(), rows)  # type: ignore[attr-defined]


def bench_sweep(url: str, label: str, occurrences: int) -> None:
    """The first sweep over a backlog, then the sweeps that follow it in normal operation."""
    engine = make_engine(url)
    upgrade(engine)
    seed_plan(engine, occurrences, units=40)
    moments = [
        ("first sweep", NOW),
        ("same moment again", NOW),
        ("15 minutes later", NOW + dt.timedelta(minutes=15)),
        ("next workday 08:45", dt.datetime(2022, 7, 12, 0, 45, tzinfo=dt.UTC)),
        ("15 minutes after that", dt.datetime(2022, 7, 12, 1, 0, tzinfo=dt.UTC)),
    ]
    for what, now in moments:
        started = time.perf_counter()
        with session_scope(engine) as session:
            result = sweep(session=session, plan_id="bench", now=now)
        took = time.perf_counter() - started
        print(
            f"sweep {label:<10} {occurrences:>7,} occurrences, {what:<22} examined "
            f"{result.examined:>7,}, {len(result.due):>7,} due stages, {result.written:>7,} written "
            f"in {took:.2f} s"
        )
    engine.dispose()


DISPATCHER = """
import sys, datetime as dt
sys.path.insert(0, {root!r})
from duban.models.db import make_engine
from duban.tasks.remind.delivery import AppriseTransport
from duban.tasks.remind.dispatch import dispatch
engine, transport = make_engine({url!r}), AppriseTransport({config!r})
engine.connect().close()
print("ready", flush=True)
sys.stdin.readline()  # go
now = dt.datetime(2022, 7, 11, 3, tzinfo=dt.UTC)
sent = 0
while (r := dispatch(engine, transport, worker=sys.argv[1], now=now,
                     clock=lambda: dt.datetime.now(dt.UTC), concurrency=32, batch=100)).claimed:
    sent += r.sent
print(sent, flush=True)
"""


def dispatch_processes(url: str, config: Path, processes: int) -> tuple[int, float]:
    """N dispatcher processes on one outbox, timed from a common start once all are ready."""
    script = DISPATCHER.format(
        root=str(Path(__file__).resolve().parent.parent), url=url, config=str(config)
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"p{n}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    sent = sum(int(w.communicate()[0].split()[-1]) for w in workers)
    return sent, time.perf_counter() - started


RECEIVER = """
import sys, time
sys.path.insert(0, {root!r})
from tests.receivers import HttpReceiver
with HttpReceiver(delay=(0.1, 0.1)).running() as http:
    print(http.port, flush=True)
    sys.stdin.readline()
"""


@contextmanager
def receiver_process() -> Iterator[HttpReceiver]:
    """The webhook in its own process, so that it does not share the dispatcher's interpreter."""
    process = subprocess.Popen(
        [sys.executable, "-c", RECEIVER.format(root=str(Path(__file__).resolve().parent.parent))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    http = HttpReceiver.__new__(HttpReceiver)
    http.port = int(process.stdout.readline())
    try:
        yield http
    finally:
        process.communicate("stop\n")


def bench_dispatch(messages: int, pg_url: str) -> None:
    with receiver_process() as http, tempfile.TemporaryDirectory() as tmp:
        bench_fan_out(http, messages)
        config = Path(tmp) / "apprise.yaml"
        config.write_text(
            "urls:\n"
            + "".join(f"  - {http.url(f'u{n}')}:\n      tag: u{n}\n" for n in range(messages))
        )
        for label, url in (("SQLite", f"sqlite:///{tmp}/bench.db"), ("PostgreSQL", pg_url)):
            bench_outbox(label, url, config, messages)
        bench_prefect_tasks(http, min(messages, 100))


def bench_fan_out(http: Any, messages: int) -> None:
    """apprise's own fan-out: one message to many URLs."""
    fan = apprise.Apprise()
    for n in range(messages):
        fan.add(http.url(f"fan{n}"))
    started = time.perf_counter()
    fan.notify("正文", title="标题")
    took = time.perf_counter() - started
    print(
        f"dispatch apprise fan-out     {messages} messages in {took:.2f} s = {messages / took:,.0f}/s"
    )


def bench_outbox(label: str, url: str, config: Path, messages: int) -> None:
    """Our dispatcher: one message per recipient, a bounded pool of senders (and, on
    PostgreSQL, several dispatcher processes on one outbox)."""
    transport = AppriseTransport(config)
    engine = make_engine(url)
    upgrade(engine)
    seed_plan(engine, messages, units=messages)
    with session_scope(engine) as session:
        occurrence_ids = session.exec(select(Occurrence.id)).all()
        session.execute(
            Reminder.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "occurrence_id": oid,
                    "stage": "before-3/x",
                    "recipient": f"u{n % messages}",
                    "planned_at": NOW,
                    "status": "pending",
                    "channel": 0,
                    "attempts": 0,
                    "outcome": {},
                }
                for n, oid in enumerate(occurrence_ids)
            ],
        )
    for concurrency in (8, 32, 64):
        reset(engine)
        started = time.perf_counter()
        result = dispatch(
            engine,
            transport,
            worker="bench",
            now=NOW,
            clock=lambda: dt.datetime.now(dt.UTC),
            concurrency=concurrency,
        )
        took = time.perf_counter() - started
        print(
            f"dispatch duban, {concurrency:>2} senders  {result.sent} messages in "
            f"{took:.2f} s = {result.sent / took:,.0f}/s ({label} outbox)"
        )
    if label == "PostgreSQL":
        for processes in (1, 2, 4):
            reset(engine)
            sent, took = dispatch_processes(url, config, processes)
            print(
                f"dispatch duban, {processes} process(es) x 32 senders  {sent} messages in "
                f"{took:.2f} s = {sent / took:,.0f}/s (PostgreSQL outbox, after start-up)"
            )
    engine.dispose()


def reset(engine: Any) -> None:
    with session_scope(engine) as session:
        session.execute(text("UPDATE reminder SET status='pending', attempts=0"))


def bench_prefect_tasks(http: Any, count: int) -> None:
    """The naive design: one Prefect task per message."""
    from prefect import flow, task
    from prefect.testing.utilities import prefect_test_harness

    @task
    def send_one(n: int) -> None:
        one = apprise.Apprise()
        one.add(http.url(f"p{n}"))
        one.notify("正文", title="标题")

    @flow
    def send_all(count: int) -> None:
        send_one.map(range(count)).wait()

    with prefect_test_harness():
        started = time.perf_counter()
        send_all(count)
        took = time.perf_counter() - started
    print(f"dispatch Prefect task/message {count} messages in {took:.2f} s = {count / took:,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--occurrences", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_sweep(f"sqlite:///{tmp}/sweep.db", "SQLite", args.occurrences)
    with scratch_database() as swept, scratch_database() as dispatched:
        bench_sweep(swept, "PostgreSQL", args.occurrences)
        bench_dispatch(args.messages, dispatched)


if __name__ == "__main__":
    main()

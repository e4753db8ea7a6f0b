"""A bureau's year at scale: every step a coordinator or a flow runs, timed beside its floor.

`python bench/scale.py [--units 236] [--tasks 2000] [--only sqlite|postgresql] [--fenban]`

The plan: `--units` units and `--tasks` weekly tasks, each given to one unit (104,000
occurrences at the defaults); with `--fenban`, 分办 instead: 200 units x 50 monthly tasks each
given to every unit (120,000). On SQLite (a file) and on PostgreSQL (a database made for the
run at 127.0.0.1 and dropped after it), each step runs in a process of its own, as a
coordinator or a flow would run it — its wall time and peak memory (RSS) are printed beside:

- its goal (issue 20), and
- its anchor, measured in the same run on the same tables: what plain SQL needs for the same
  rows (`INSERT … SELECT` of the occurrences for the import, one `UPDATE` plus one
  `INSERT … SELECT` of unchained ledger rows for the opening, one `GROUP BY` for the summary,
  reading every ledger row for verify, `python -c pass` for a command's start), and, for the
  sweep, one Prefect task run per occurrence (the naive design), timed on a sample of 200.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
DUBAN = Path(sys.executable).parent / "duban"
PLAN = "scale-2022"
IMPORTED = "2021-12-20T10:00:00+08:00"
YEAR_END = "2022-12-31T09:00:00+08:00"  # every occurrence of the year has opened
LATER = "2022-12-31T09:15:00+08:00"


def plan_yaml(units: int, tasks: int, fenban: bool) -> str:
    codes = [f"u{n:03d}" for n in range(units)]
    leaders = 10
    lines = [
        "plan: {id: " + PLAN + ", title: 规模基准计划, year: 2022}",
        "units:",
        "  - {code: dcs, name: 督查室, role: coordinator}",
        *(f"  - {{code: ld{n}, name: 分管领导{n}, role: leader}}" for n in range(leaders)),
        *(
            f"  - {{code: {code}, name: 单位{n}, role: unit, parent: ld{n % leaders}}}"
            for n, code in enumerate(codes)
        ),
    ]
    if fenban:
        lines += ["groups:", f"  all: [{', '.join(codes)}]"]
    lines.append("tasks:")
    for n in range(tasks):
        lines += [
            f"  - id: T{n + 1:04d}",
            f"    title: 任务{n + 1}",
            "    kind: other",
            f"    owner: {codes[n % units]}",
        ]
        if fenban:
            lines += ["    units: all", '    schedule: {rrule: "FREQ=MONTHLY;BYMONTHDAY=-1"}']
        else:
            lines.append('    schedule: {rrule: "FREQ=WEEKLY;BYDAY=FR"}')
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def run(args: list[str], env: dict[str, str]) -> Run:
    """One process, as a person or a flow starts it: its wall time and peak RSS."""
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{output[-3000:]}")
    return Run(took, usage.ru_maxrss / 1024, output)


def step(code: str, env: dict[str, str]) -> Run:
    """`code` (Python, with `engine`, `session`, `now` set) in a process of its own."""
    prelude = (
        "import datetime as dt, os\n"
        "from duban.models.db import engine_for, session_scope\n"
        "engine = engine_for(os.environ['DUBAN_DATABASE_URL'])\n"
        "from sqlalchemy import text\n"
        "now = dt.datetime.fromisoformat(os.environ.get('SCALE_NOW', '2022-01-01T00:00:00+00:00'))\n"
        "with session_scope(engine) as session:\n"
    )
    body = "".join(f"    {line}\n" for line in code.strip().splitlines())
    return run([sys.executable, "-c", prelude + body], env)


def sql_time(url: str, statements: list[str], rollback: bool = True) -> float:
    """Seconds for plain SQL statements in one transaction (rolled back: nothing kept)."""
    from sqlalchemy import text

    from duban.models.db import engine_for

    engine = engine_for(url)
    with engine.connect() as connection:
        started = time.perf_counter()
        for statement in statements:
            result = connection.execute(text(statement))
            if result.returns_rows:
                result.fetchall()
        took = time.perf_counter() - started
        connection.rollback() if rollback else connection.commit()
    engine.dispose()
    return took


COPY_OCCURRENCES = [
    "CREATE TEMP TABLE occ_copy AS SELECT * FROM occurrence WHERE 1 = 0",
    "INSERT INTO occ_copy SELECT * FROM occurrence",
]
OPEN_BY_SQL = [
    *COPY_OCCURRENCES,
    "CREATE TEMP TABLE ev_copy AS SELECT * FROM status_event WHERE 1 = 0",
    "UPDATE occ_copy SET status = 'open', next_reminder_at = NULL WHERE status = 'scheduled'",
    "INSERT INTO ev_copy (id, occurrence_id, from_status, to_status, actor, at, note, evidence,"
    " prev_hash, hash) SELECT id, id, 'scheduled', 'open', 'system:schedule', opens_at,"
    " '期次开始，已交办责任单位', '[]', 'p' || id, 'h' || id FROM occ_copy",
]
SUMMARY_BY_SQL = [
    "SELECT unit, count(*), sum(CASE WHEN status IN ('accepted', 'done') THEN 1 ELSE 0 END),"
    " sum(CASE WHEN due_at < CURRENT_TIMESTAMP THEN 1 ELSE 0 END) FROM occurrence GROUP BY unit"
]
READ_LEDGER = ["SELECT id, occurrence_id, at, note, evidence, prev_hash, hash FROM status_event"]


def naive_prefect_per_task(sample: int = 200) -> float:
    """Seconds per Prefect task run (one per occurrence: the naive sweep), on a test server."""
    code = f"""
import time
from prefect import flow, task
from prefect.testing.utilities import prefect_test_harness

@task
def look(n):
    return n

@flow
def sweep_each(n):
    for i in range(n):
        look(i)

with prefect_test_harness():
    sweep_each(5)
    started = time.perf_counter()
    sweep_each({sample})
    print("SECONDS", time.perf_counter() - started)
"""
    out = run([sys.executable, "-c", code], dict(os.environ)).output
    return float(out.split("SECONDS")[-1].split()[0]) / sample


@dataclass
class Row:
    step: str
    database: str
    measured: Run
    goal_s: float
    anchor_s: float | None = None
    goal_mb: float | None = None
    note: str = ""

    def render(self) -> str:
        m = self.measured
        met = m.seconds <= self.goal_s and (self.goal_mb is None or m.peak_mb <= self.goal_mb)
        goal = f"≤ {self.goal_s:g} s" + (f", ≤ {self.goal_mb:g} MB" if self.goal_mb else "")
        anchor = (
            f"{self.anchor_s:7.2f} s  x{m.seconds / self.anchor_s:<6.3g}"
            if self.anchor_s
            else " " * 17
        )
        return (
            f"{self.step:<34} {self.database:<10} {m.seconds:7.2f} s {m.peak_mb:6.0f} MB   "
            f"{goal:<18} {'met ' if met else 'MISS'}  {anchor}  {self.note}"
        )


def count(table: str, env: dict[str, str]) -> int:
    return int(
        step(f"print(session.execute(text('select count(*) from {table}')).scalar())", env).output
    )


def bench_database(url: str, label: str, plan: Path) -> Iterator[Row]:
    env = {
        **os.environ,
        "DUBAN_DATABASE_URL": url,
        "DUBAN_DATA_DIR": str(plan.parent),
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    duban = [str(DUBAN)]
    run([*duban, "db", "upgrade"], env)
    first = run([*duban, "plan", "import", str(plan), "--now", IMPORTED], env)
    occurrences = count("occurrence", env)
    yield Row(
        "plan import (first)",
        label,
        first,
        5,
        anchor_s=sql_time(url, COPY_OCCURRENCES),
        goal_mb=300,
        note=f"{occurrences:,} occurrences",
    )
    again = run([*duban, "plan", "import", str(plan), "--now", IMPORTED], env)
    yield Row("plan import again (no change)", label, again, 1)
    opened = step(
        f"from duban.tasks.timeline.opening import open_due\n"
        f"print(len(open_due(session=session, plan_id='{PLAN}', now=now)))",
        {**env, "SCALE_NOW": YEAR_END},
    )
    yield Row(
        "open every occurrence (open_due)",
        label,
        opened,
        5,
        anchor_s=sql_time(url, OPEN_BY_SQL),
        note=f"{int(opened.output.split()[-1]):,} opened",
    )
    sweep_code = (
        "from duban.tasks.remind.sweep import sweep\n"
        f"r = sweep(session=session, plan_id='{PLAN}', now=now)\n"
        "print(r.examined, len(r.due), r.written)"
    )
    per_task = naive_prefect_per_task()
    for what, now, goal, goal_mb in (
        ("first sweep", YEAR_END, 5.0, 300.0),
        ("next sweep, 15 min later", LATER, 0.5, None),
    ):
        swept = step(sweep_code, {**env, "SCALE_NOW": now})
        examined, due, written = (int(x) for x in swept.output.split()[-3:])
        yield Row(
            what,
            label,
            swept,
            goal,
            anchor_s=per_task * examined if examined else None,
            goal_mb=goal_mb,
            note=f"{examined:,} examined, {due:,} due stages, {written:,} written",
        )
    for what, extra, goal in (
        ("audit summary, whole plan", [], 1.0),
        ("audit summary, one unit", ["--unit", "u007"], 0.5),
    ):
        summary = run([*duban, "audit", "summary", "--now", YEAR_END, "--json", *extra], env)
        yield Row(what, label, summary, goal, anchor_s=sql_time(url, SUMMARY_BY_SQL))
    verified = run([*duban, "audit", "verify"], env)
    events = count("status_event", env)
    yield Row(
        "audit verify",
        label,
        verified,
        10 * events / 1_000_000,
        anchor_s=sql_time(url, READ_LEDGER),
        note=f"{events:,} ledger rows (goal: 10 s a million)",
    )


def bench_start(env: dict[str, str]) -> list[Row]:
    floor = run([sys.executable, "-c", "pass"], env).seconds
    rows = []
    for what, args in (
        ("start: duban --help", ["--help"]),
        ("start: duban calendar check", ["calendar", "check", "2022-10-08"]),
    ):
        best = min((run([str(DUBAN), *args], env) for _ in range(3)), key=lambda r: r.seconds)
        rows.append(Row(what, "-", best, 0.5, anchor_s=floor, note="best of 3"))
    return rows


def bench_check(plan: Path, env: dict[str, str]) -> Row:
    checked = run([str(DUBAN), "plan", "check", str(plan)], env)
    return Row("plan check", "-", checked, 1, note=f"{plan.stat().st_size / 1024:.0f} KiB of YAML")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=236)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--fenban", action="store_true", help="200 units x 50 monthly tasks")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.fenban:
        args.units, args.tasks = 200, 50
    from scratch import scratch_database

    print(
        f"{'step':<34} {'database':<10} {'wall':>9} {'peak':>9}   {'goal':<18} {'':4}  "
        f"{'anchor, ratio':<16}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan.yaml"
        plan.write_text(plan_yaml(args.units, args.tasks, args.fenban), encoding="utf-8")
        env = {**os.environ, "DUBAN_DATA_DIR": tmp}
        print(bench_check(plan, env).render(), flush=True)
        for row in bench_start(env):
            print(row.render(), flush=True)
        if args.only != "postgresql":
            for row in bench_database(f"sqlite:///{tmp}/duban.db", "SQLite", plan):
                print(row.render(), flush=True)
        if args.only != "sqlite":
            with scratch_database() as url:
                for row in bench_database(url, "PostgreSQL", plan):
                    print(row.render(), flush=True)


if __name__ == "__main__":
    main()

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
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
        "import time\n"
        "started = time.perf_counter()\n"
        "with session_scope(engine) as session:\n"
    )
    body = "".join(f"    {line}\n" for line in code.strip().splitlines())
    after = "print('INPROC', time.perf_counter() - started)\n"
    return run([sys.executable, "-c", prelude + body + after], env)


def inside(result: Run) -> float:
    """The seconds a step took inside its process (its work and commit, not the start)."""
    return float(result.output.split("INPROC")[-1].split()[0])


def sql_time(url: str, timed: list[str], setup: Callable[[Any], list[str]] = lambda c: []) -> float:
    """Seconds for plain SQL statements in one transaction, after `setup`'s (not timed); rolled
    back: nothing kept."""
    from sqlalchemy import text

    from duban.models.db import engine_for

    engine = engine_for(url)
    with engine.connect() as connection:
        for statement in setup(connection):
            connection.execute(text(statement))
        started = time.perf_counter()
        for statement in timed:
            result = connection.execute(text(statement))
            if result.returns_rows:
                result.fetchall()
        took = time.perf_counter() - started
        connection.rollback()
    engine.dispose()
    return took


def copy_of(connection: Any, table: str, copy: str) -> list[str]:
    """DDL for an empty temporary copy of `table` with the same columns, keys and indexes."""
    from sqlalchemy import text

    if connection.dialect.name == "postgresql":
        return [f"CREATE TEMP TABLE {copy} (LIKE {table} INCLUDING ALL)"]
    found = connection.execute(
        text("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = :t AND sql IS NOT NULL"),
        {"t": table},
    ).all()
    statements = []
    for kind, name, sql in sorted(found, key=lambda row: row[0] != "table"):  # the table first
        if kind == "table":  # (without its foreign keys: a temporary table cannot have them)
            sql = re.sub(rf'^CREATE TABLE "?{table}"?', f"CREATE TEMP TABLE {copy}", sql)
            sql = re.sub(r",\s*(CONSTRAINT \w+ )?FOREIGN KEY\s*\([^)]*\)[^,)]*\([^)]*\)", "", sql)
        else:  # an index: its own name, on the copy
            sql = sql.replace(name, f"{copy}_{name}", 1)
            sql = re.sub(rf'ON "?{table}"?', f"ON {copy}", sql, count=1)
        statements.append(sql)
    return statements


def random_hash(dialect: str) -> str:
    if dialect == "postgresql":
        return "md5(random()::text) || md5(random()::text)"
    return "lower(hex(randomblob(32)))"


def import_anchor(url: str) -> float:
    """INSERT … SELECT of the plan's occurrences into an indexed copy of their table."""
    return sql_time(
        url,
        ["INSERT INTO occ_copy SELECT * FROM occurrence"],
        lambda c: copy_of(c, "occurrence", "occ_copy"),
    )


def open_anchor(url: str) -> float:
    """One UPDATE of the scheduled occurrences and one INSERT … SELECT of their (unchained)
    ledger rows, on indexed copies filled with the scheduled year."""
    h = random_hash("postgresql" if url.startswith("postgresql") else "sqlite")
    return sql_time(
        url,
        [
            "UPDATE occ_copy SET status = 'open', next_reminder_at = NULL"
            " WHERE status = 'scheduled'",
            "INSERT INTO ev_copy (occurrence_id, from_status, to_status, actor, at, note,"
            " evidence, prev_hash, hash) SELECT id, 'scheduled', 'open', 'system:schedule',"
            f" opens_at, '期次开始，已交办责任单位', '[]', {h}, {h} FROM occ_copy",
        ],
        lambda c: [
            *copy_of(c, "occurrence", "occ_copy"),
            *copy_of(c, "status_event", "ev_copy"),
            "INSERT INTO occ_copy SELECT * FROM occurrence",
            "UPDATE occ_copy SET status = 'scheduled'",
        ],
    )


SUMMARY_BY_SQL = [
    "SELECT o.unit, count(*), sum(CASE WHEN s.at <= o.due_at THEN 1 ELSE 0 END),"
    " sum(CASE WHEN s.at IS NULL AND o.due_at < CURRENT_TIMESTAMP THEN 1 ELSE 0 END)"
    " FROM occurrence o LEFT JOIN (SELECT occurrence_id, max(at) AS at FROM status_event"
    " WHERE to_status = 'submitted' GROUP BY occurrence_id) s ON s.occurrence_id = o.id"
    " GROUP BY o.unit"
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


def floor(url: str, written: int) -> str:
    """What plain SQL needs to write the outbox rows a sweep wrote (into an indexed copy)."""
    if not written:
        return ""
    took = sql_time(
        url,
        ["INSERT INTO rem_copy SELECT * FROM reminder"],
        lambda c: copy_of(c, "reminder", "rem_copy"),
    )
    return f"; INSERT … SELECT of the outbox rows alone: {took:.2f} s"


def count(table: str, env: dict[str, str]) -> int:
    return int(
        step(f"print(session.execute(text('select count(*) from {table}')).scalar())", env)
        .output.split("INPROC")[0]
        .split()[-1]
    )


def bench_database(url: str, label: str, plan: Path, sample: int) -> Iterator[Row]:
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
        anchor_s=import_anchor(url),
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
        anchor_s=open_anchor(url),
        note=f"{int(opened.output.split('INPROC')[0].split()[-1]):,} opened; "
        f"inside the process {inside(opened):.2f} s",
    )
    sweep_code = (
        "from duban.tasks.remind.sweep import sweep\n"
        f"r = sweep(session=session, plan_id='{PLAN}', now=now)\n"
        "print(r.examined, len(r.due), r.written)"
    )
    per_task = naive_prefect_per_task(sample)
    for what, now, goal, goal_mb in (
        ("first sweep", YEAR_END, 5.0, 300.0),
        ("next sweep, 15 min later", LATER, 0.5, None),
    ):
        swept = step(sweep_code, {**env, "SCALE_NOW": now})
        examined, due, written = (int(x) for x in swept.output.split("INPROC")[0].split()[-3:])
        yield Row(
            what,
            label,
            swept,
            goal,
            anchor_s=per_task * examined if examined else None,
            goal_mb=goal_mb,
            note=f"{examined:,} examined, {due:,} due stages, {written:,} written; "
            f"inside the process {inside(swept):.2f} s" + floor(url, written),
        )
    for what, extra, goal in (
        ("audit summary, whole plan", [], 1.0),
        ("audit summary, one unit", ["--unit", "u007"], 0.5),
    ):
        summary = run([*duban, "audit", "summary", "--now", YEAR_END, "--json", *extra], env)
        yield Row(what, label, summary, goal, anchor_s=sql_time(url, SUMMARY_BY_SQL))
    yield verify_row(url, label, env)


def verify_row(url: str, label: str, env: dict[str, str]) -> Row:
    """The chain checked inside a process (per million rows), and `duban audit verify`'s wall."""
    verified = step(
        "from duban.tasks.work.ledger import verify_parallel\n"
        "r = verify_parallel(os.environ['DUBAN_DATABASE_URL'])\n"
        "print(r.rows, r.ok)",
        env,
    )
    rows, ok = verified.output.split("INPROC")[0].split()[-2:]
    per_million = inside(verified) / int(rows) * 1_000_000
    cli = run([str(DUBAN), "audit", "verify"], env)
    return Row(
        "audit verify (10 s a million)",
        label,
        Run(per_million, verified.peak_mb, ""),
        10,
        anchor_s=sql_time(url, READ_LEDGER) / int(rows) * 1_000_000,
        note=f"s per million rows: {int(rows):,} rows verified ({ok}) in "
        f"{inside(verified):.2f} s inside the process; `duban audit verify` {cli.seconds:.2f} s",
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
    parser.add_argument(
        "--sample", type=int, default=200, help="Prefect task runs timed for the naive anchor"
    )
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
            for row in bench_database(f"sqlite:///{tmp}/duban.db", "SQLite", plan, args.sample):
                print(row.render(), flush=True)
        if args.only != "sqlite":
            with scratch_database() as url:
                for row in bench_database(url, "PostgreSQL", plan, args.sample):
                    print(row.render(), flush=True)


if __name__ == "__main__":
    main()

"""分办 at scale: one plan whose tasks are each given to every unit (a group), monthly.

`python bench/assignment.py [--units 200] [--tasks 50] [--runs 600] [--more-runs 6000]`

1. Checking the generated plan file (units × tasks × 12 monthly periods of occurrences).
2. On SQLite and on PostgreSQL (a database created for the run at 127.0.0.1): the import with
   its occurrences in one transaction, the same import again (nothing changed), opening the
   first month (units × tasks occurrences), the first reminder sweep over them and the next.
3. The flow runs the design creates over the year (`flows.runs.plan_runs` at each month's
   start): one roll-up run per task-period, against one run per unit occurrence.
4. Prefect's API with that many long-suspended runs, on a Prefect server backed by SQLite and
   one backed by PostgreSQL: creating them (runs/s), then the calls the UI makes — the runs
   list, its chart and count, one run's page — median and p95; on PostgreSQL again with
   --more-runs suspended runs in all (a decade of such years).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from prefect.client.orchestration import get_client
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Suspended
from scale import PLAN, plan_yaml
from scratch import scratch_database
from sqlalchemy import func
from sqlmodel import select

from duban.deployments.build import DeploymentSpec
from duban.deployments.serve import to_runner
from duban.flows.runs import plan_runs
from duban.models import Occurrence
from duban.models.db import make_engine, session_scope, upgrade
from duban.models.status import Duty
from duban.tasks.plan.check import check_text
from duban.tasks.plan.importing import import_plan
from duban.tasks.plan.schema import PlanSpec
from duban.tasks.remind.sweep import sweep
from duban.tasks.timeline.clock import SystemTime
from duban.tasks.timeline.materialize import materialize
from duban.tasks.timeline.opening import open_due
from tests.loopback import free_port

IMPORTED = dt.datetime(2021, 12, 20, 2, 0, tzinfo=dt.UTC)
OPENED = dt.datetime(2022, 1, 5, 1, 0, tzinfo=dt.UTC)  # 09:00 on 5 Jan in Shanghai
SWEPT = dt.datetime(2022, 1, 5, 2, 0, tzinfo=dt.UTC)
REPEAT = 20


def bench_check(text: str, units: int, tasks: int) -> PlanSpec:
    started = time.perf_counter()
    result = check_text(text, "plan.yaml")
    took = time.perf_counter() - started
    problems = [p.render() for p in result.problems]
    assert result.spec is not None, problems[:5]
    print(
        f"check      {units} units x {tasks} tasks ({len(text) / 1024:.0f} KiB of YAML): "
        f"{len(problems)} problems in {took:.2f} s"
    )
    return result.spec


def timed(engine: Any, function: Any) -> tuple[Any, float]:
    """`function(session)` in one transaction, and the seconds it took."""
    started = time.perf_counter()
    with session_scope(engine) as session:
        result = function(session)
    return result, time.perf_counter() - started


def imported(session: Any, spec: PlanSpec) -> tuple[int, int]:
    changes = import_plan(session=session, spec=spec, now=IMPORTED).changes
    return len(changes), materialize(session=session, plan_id=PLAN, now=IMPORTED).added


def bench_database(url: str, label: str, spec: PlanSpec) -> None:
    engine = make_engine(url)
    upgrade(engine)
    sizes = f"{len(spec.groups['all'])} units x {len(spec.tasks)} tasks"
    for what in ("import   ", "re-import"):
        (changes, added), took = timed(engine, lambda s: imported(s, spec))
        print(
            f"{what}  {label:<10} {sizes}: {added:,} occurrences added, {changes:,} changes", end=""
        )
        print(f" in {took:.1f} s")
    opened, took = timed(engine, lambda s: open_due(session=s, plan_id=PLAN, now=OPENED))
    at = f"{OPENED:%Y-%m-%d %H:%M}Z"
    print(f"open       {label:<10} first month at {at}: {len(opened):,} opened in {took:.1f} s")
    for what, now in (("first sweep", SWEPT), ("15 min later", SWEPT + dt.timedelta(minutes=15))):
        result, took = timed(engine, lambda s, now=now: sweep(session=s, plan_id=PLAN, now=now))
        print(
            f"sweep      {label:<10} {what:<12} examined {result.examined:>7,}, "
            f"{len(result.due):>7,} due stages, {result.written:>7,} written in {took:.2f} s"
        )
    count_runs(engine, label)
    engine.dispose()


def count_runs(engine: Any, label: str) -> None:
    """The runs `plan_runs` plans over the year, asked at each month's start (35-day horizon),
    against one run per unit occurrence."""
    keys: set[str] = set()
    started = time.perf_counter()
    with session_scope(engine) as session:
        for month in range(1, 13):
            moment = dt.datetime(2022, month, 1, tzinfo=dt.UTC)
            planned = plan_runs(
                session=session, plan_id=PLAN, time=SystemTime(lambda m=moment: m), now=moment
            )
            keys |= {r.key for r in planned.runs if r.flow != "sweep"}
        took = time.perf_counter() - started
        lead = Occurrence.duty == Duty.LEAD
        per_unit = session.exec(select(func.count()).select_from(Occurrence).where(lead)).one()
    print(
        f"runs       {label:<10} over the year: {len(keys):,} roll-up runs (distinct keys) vs "
        f"{per_unit:,} at one run per unit occurrence (12 x plan_runs in {took:.1f} s)"
    )


@contextmanager
def prefect_server(home: Path, database: str | None) -> Iterator[str]:
    """`prefect server start` on a free port, its state in `home` (SQLite) or `database`."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": api,
    }
    if database:
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = database
    log = (home / "server.log").open("w")
    prefect = Path(sys.executable).parent / "prefect"
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start; see {home / 'server.log'}")
            time.sleep(0.5)
        yield api
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def register(api: str) -> Any:
    """One deployment of Duban's general flow, registered without serving it; its id."""
    spec = DeploymentSpec(
        flow="general",
        name=f"{PLAN}-T0001",
        parameters={"plan_id": PLAN, "task_code": "T0001", "title": "任务1"},
        tags=["plan:bench"],
    )
    with temporary_settings(updates={PREFECT_API_URL: api}):
        return to_runner(spec, module_path=True).apply()


def create_runs(
    api: str, deployment: Any, first: int, count: int, creators: int, args: argparse.Namespace
) -> list[Any]:
    """`count` suspended roll-up runs, numbered from `first`: task-periods of successive years."""

    async def create_all() -> list[Any]:
        gate = asyncio.Semaphore(creators)
        async with get_client() as client:

            async def one(n: int) -> Any:
                month, task = divmod(n, args.tasks)
                period = f"{2022 + month // 12}-{month % 12 + 1:02d}"
                async with gate:
                    run = await client.create_flow_run_from_deployment(
                        deployment,
                        parameters={"period": period},
                        name=f"{period} · 任务{task + 1} · {args.units}个单位",
                        state=Suspended(),
                        tags=["plan:bench"],
                        idempotency_key=f"duban-{PLAN}-period-{task + 1}-{period}",
                    )
                return run.id

            return await asyncio.gather(*(one(n) for n in range(first, first + count)))

    with temporary_settings(updates={PREFECT_API_URL: api}):
        return asyncio.run(create_all())


def ui_calls(run_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """What the UI (v1) asks for: its runs page (the past week, latest first, 100 a page: the
    list, the chart, the count), then one run's page (the run, its logs, its artifacts)."""
    now = dt.datetime.now(dt.UTC)
    since = (now - dt.timedelta(days=7)).isoformat()
    week = {"start_time": {"after_": since, "before_": now.isoformat()}}
    page = {"flow_runs": week, "sort": "START_TIME_DESC", "limit": 100}
    run = {"flow_run_id": {"any_": [run_id]}}
    return [
        ("POST", "/flow_runs/paginate", {**page, "page": 1}),
        ("POST", "/ui/flow_runs/history", {**page, "offset": 0}),
        ("POST", "/flow_runs/count", {"flow_runs": week}),
        ("GET", f"/flow_runs/{run_id}", None),
        ("POST", "/logs/filter", {"logs": run, "sort": "TIMESTAMP_ASC", "limit": 200}),
        ("POST", "/artifacts/filter", {"artifacts": {**run, "type": {"not_any_": ["result"]}}}),
    ]


def latencies(http: httpx.Client, label: str, runs: int, run_id: str) -> None:
    for method, path, body in ui_calls(run_id):
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = http.request(method, path, json=body)
            times.append(time.perf_counter() - started)
            response.raise_for_status()
        times.sort()
        median, p95 = times[len(times) // 2], times[max(round(0.95 * len(times)) - 1, 0)]
        found = response.json()
        found = found.get("count") if isinstance(found, dict) else found
        note = f" (count {found:,})" if isinstance(found, int) else ""
        where = f"{method} {path.replace(run_id, '{id}')}"
        print(
            f"prefect    {label:<10} {runs:>6,} suspended runs, {where:<26} "
            f"median {median * 1000:6.1f} ms, p95 {p95 * 1000:6.1f} ms{note}"
        )


def bench_prefect(label: str, database: str | None, args: argparse.Namespace) -> None:
    creators = 4 if database else 2  # the SQLite-backed server answers 503 under more
    with tempfile.TemporaryDirectory() as home, prefect_server(Path(home), database) as api:
        deployment = register(api)
        done = 0
        totals = [args.runs] + ([args.more_runs] if database and args.more_runs > args.runs else [])
        with httpx.Client(base_url=api, timeout=60) as http:
            for total in totals:
                started = time.perf_counter()
                ids = create_runs(api, deployment, done, total - done, creators, args)
                took = time.perf_counter() - started
                state = http.get(f"/flow_runs/{ids[-1]}").json()["state"]
                print(
                    f"prefect    {label:<10} created {len(ids):,} runs ({creators} creators, "
                    f"{state['type']}/{state['name']}) in {took:.1f} s = {len(ids) / took:.1f}/s; "
                    f"{total:,} in all"
                )
                done = total
                latencies(http, label, total, str(ids[0]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=600)
    parser.add_argument("--more-runs", type=int, default=6000)
    args = parser.parse_args()
    spec = bench_check(plan_yaml(args.units, args.tasks, fenban=True), args.units, args.tasks)
    with tempfile.TemporaryDirectory() as tmp:
        bench_database(f"sqlite:///{tmp}/duban.db", "SQLite", spec)
    with scratch_database() as url:
        bench_database(url, "PostgreSQL", spec)
    bench_prefect("SQLite", None, args)
    with scratch_database() as url:
        bench_prefect("PostgreSQL", url.replace("+psycopg", "+asyncpg"), args)


if __name__ == "__main__":
    main()

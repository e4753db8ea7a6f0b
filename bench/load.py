"""The morning of a deadline: many units open their links, read their lists and report.

`python bench/load.py [--units 500] [--minutes 10] [--processes 2]`

On PostgreSQL (a scratch database at 127.0.0.1) with `--processes` `duban api` processes on
loopback: a plan whose one task is given to every unit is imported and opened; then each unit,
arriving at a random moment within `--minutes`, opens its personal link, reads its list, opens
its occurrence and reports with a note and a small PDF (alternating between the processes).
Prints p50 / p99 / max per page and action and the errors; afterwards checks that every
report is in the ledger exactly once and that the hash chain verifies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from scratch import scratch_database
from sqlalchemy import func
from sqlmodel import select

from duban.models import Occurrence, StatusEvent
from duban.models.db import make_engine, session_scope, upgrade
from duban.tasks.access.links import issue_link, link_token
from duban.tasks.plan.check import check_text
from duban.tasks.plan.importing import import_plan
from duban.tasks.timeline.materialize import materialize
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.ledger import verify
from tests.loopback import free_port

PLAN = "load-2022"
IMPORTED = dt.datetime(2022, 6, 1, 1, tzinfo=dt.UTC)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b" " * 20_000  # ~20 KB


def plan_yaml(units: int) -> str:
    codes = [f"s{n:03d}" for n in range(units)]
    return (
        "\n".join(
            [
                "plan: {id: " + PLAN + ", title: 报送高峰, year: 2022}",
                "units:",
                "  - {code: dcs, name: 督查室, role: coordinator}",
                *(
                    f"  - {{code: {c}, name: 学校{n}, role: unit, parent: dcs}}"
                    for n, c in enumerate(codes)
                ),
                "groups:",
                f"  schools: [{', '.join(codes)}]",
                "tasks:",
                "  - id: T-baosong",
                "    title: 报送上半年工作总结",
                "    kind: other",
                "    owner: dcs",
                "    units: schools",
                "    schedule: {due: 2022-06-30}",
            ]
        )
        + "\n"
    )


def prepare(url: str, units: int, key: bytes) -> dict[str, str]:
    """The plan imported and opened; each unit's link path."""
    engine = make_engine(url)
    upgrade(engine)
    spec = check_text(plan_yaml(units), "load.yaml").spec
    assert spec is not None
    with session_scope(engine) as session:
        import_plan(session=session, spec=spec, now=IMPORTED)
        materialize(session=session, plan_id=PLAN, now=IMPORTED)
    with session_scope(engine) as session:
        open_due(session=session, plan_id=PLAN, now=dt.datetime(2022, 6, 20, 1, tzinfo=dt.UTC))
        links = {}
        for n in range(units):
            link = issue_link(
                session=session,
                plan_id=PLAN,
                unit=f"s{n:03d}",
                now=dt.datetime.now(dt.UTC),
                valid_for=dt.timedelta(days=1),
                created_by="bench",
            )
            session.flush()
            links[link.unit] = f"/portal/l/{link_token(key, link)}"
    engine.dispose()
    return links


async def one_unit(
    base: str, path: str, delay: float, timings: dict[str, list[float]], errors: list[str]
) -> None:
    await asyncio.sleep(delay)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def step(name: str, call: Any, expected: int) -> httpx.Response | None:
            started = time.perf_counter()
            try:
                answer = await call
            except httpx.HTTPError as exc:
                errors.append(f"{name}: {type(exc).__name__}")
                return None
            timings[name].append(time.perf_counter() - started)
            if answer.status_code != expected:
                errors.append(f"{name}: HTTP {answer.status_code}")
                return None
            return answer

        if await step("open the link", http.get(path), 303) is None:
            return
        listed = await step("the unit's list", http.get("/portal/"), 200)
        target = re.search(r'href="/portal/o/(\d+)"', listed.text) if listed else None
        if target is None:
            errors.append("the unit's list: no occurrence")
            return
        page = await step("its occurrence's page", http.get(f"/portal/o/{target[1]}"), 200)
        token = CSRF.search(page.text) if page else None
        if token is None:
            return
        form = {"csrf": token[1], "note": "上半年工作总结已报送", "count": "1"}
        files = {"files": ("总结.pdf", PDF, "application/pdf")}
        await step(
            "报送 with a 20 KB file",
            http.post(f"/portal/o/{target[1]}/submit", data=form, files=files),
            303,
        )


def start_api(port: int, env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    duban = Path(sys.executable).with_name("duban")
    out = (logs / f"api-{port}.log").open("wb")
    process = subprocess.Popen(
        [str(duban), "api", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/portal/login", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"duban api on :{port} did not start (see {logs})")


def report(timings: dict[str, list[float]], errors: list[str], took: float, units: int) -> None:
    print(f"{units} units in {took:.0f} s; {len(errors)} errors")
    for name, values in timings.items():
        ordered = sorted(values)
        p50, p99 = (
            ordered[len(ordered) // 2],
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        )
        print(
            f"  {name:<26} n={len(ordered):4d}  p50 {p50 * 1000:7.1f} ms  "
            f"p99 {p99 * 1000:7.1f} ms  max {ordered[-1] * 1000:7.1f} ms"
        )
    for error, count in sorted({e: errors.count(e) for e in errors}.items()):
        print(f"  error: {error} × {count}")


def check_ledger(url: str) -> None:
    engine = make_engine(url)
    with session_scope(engine) as session:
        per = session.exec(
            select(StatusEvent.occurrence_id, func.count())
            .where(StatusEvent.to_status == "submitted")
            .group_by(StatusEvent.occurrence_id)
        ).all()
        submitted = session.exec(
            select(func.count()).select_from(Occurrence).where(Occurrence.status == "submitted")
        ).one()
        chain = verify(session)
    once = sum(1 for _, n in per if n == 1)
    print(
        f"ledger: {len(per)} occurrences reported, {once} exactly once, {submitted} submitted; "
        f"chain of {chain.rows} rows {'verifies' if chain.ok else 'BROKEN at ' + str(chain.broken_id)}"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        key = b"load-benchmark-key"
        links = prepare(url, args.units, key)
        env = {
            **os.environ,
            "DUBAN_DATABASE_URL": url,
            "DUBAN_DATA_DIR": str(data),
            "DUBAN_PORTAL_KEY": key.decode(),
            "DUBAN_EVIDENCE_URL": str(data / "evidence"),
        }
        ports = [free_port() for _ in range(args.processes)]
        apis = [start_api(port, env, data) for port in ports]
        try:
            timings: dict[str, list[float]] = defaultdict(list)
            errors: list[str] = []
            started = time.perf_counter()
            spread = args.minutes * 60
            units = [
                one_unit(
                    f"http://127.0.0.1:{ports[n % len(ports)]}",
                    path,
                    random.uniform(0, spread),
                    timings,
                    errors,
                )
                for n, path in enumerate(links.values())
            ]

            async def everyone() -> None:
                await asyncio.gather(*units)

            asyncio.run(everyone())
            report(timings, errors, time.perf_counter() - started, args.units)
        finally:
            for api in apis:
                api.terminate()
                api.wait(20)
        check_ledger(url)


if __name__ == "__main__":
    main()

"""Unit portal page times over real HTTP on a big plan.

`python bench/portal.py [--occurrences 100000] [--events 300000] [--units 200]`

Seeds the audit benchmark's plan (N occurrences over a year, M hash-chained status events), puts
5% of the occurrences into "submitted", serves `duban api` with uvicorn on loopback, and times
what people do: a unit opening its link and its list, one occurrence's page, 签收 (the POST and
the page after it), and a coordinator's review page — on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from audit import NOW, seed, timed
from scratch import scratch_database
from sqlalchemy import text, update
from sqlmodel import col, select

from duban.api import create_app
from duban.models import Occurrence, Task
from duban.models.db import make_engine, session_scope, upgrade
from duban.portal import PortalConfig
from duban.tasks.access.links import issue_link, link_token
from duban.tasks.access.tokens import create_token
from duban.tasks.work.evidence import EvidenceStore
from tests.loopback import serving

KEY = b"bench-key"
ROW = 'href="/portal/o/'


def run(url: str, label: str, occurrences: int, events: int, units: int, tmp: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    seed(engine, occurrences, events, units)
    with session_scope(engine) as session:
        session.execute(
            update(Occurrence).where(col(Occurrence.id) % 20 == 0).values(status="submitted")
        )
        link = issue_link(
            session=session,
            plan_id="bench",
            unit="u7",
            now=NOW,
            valid_for=dt.timedelta(days=14),
            created_by="bench",
        )
        path = f"/portal/l/{link_token(KEY, link)}"
        _, boss = create_token(session=session, role="coordinator", plan_id="bench", now=NOW)
        mine = session.exec(
            select(Occurrence.id)
            .join(Task)
            .where(Task.owner == "u7", Occurrence.status == "open")
            .order_by(col(Occurrence.id))
        ).all()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    print(
        f"{label}: seeded {occurrences:,} occurrences, {events:,} events in {time.perf_counter() - started:.0f} s"
    )
    app = create_app(
        engine,
        clock=lambda: NOW,
        portal=PortalConfig(KEY, EvidenceStore(f"{tmp}/ev", 1 << 20), wall=lambda: NOW),
    )
    with serving(app) as base:
        unit = httpx.Client(base_url=base, timeout=30)
        timed("open the link (verify, cookie, redirect)", lambda: unit.get(path))
        listed = timed("the unit's list", lambda: unit.get("/portal/"))
        rows = len(re.findall(ROW, listed.text))
        print(f"    {rows} open occurrences listed")
        page = timed("one occurrence's page", lambda: unit.get(f"/portal/o/{mine[0]}"))
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        targets = iter(mine[1:])
        timed(
            "签收 (POST, then the page it redirects to)",
            lambda: unit.post(
                f"/portal/o/{next(targets)}/ack", data={"csrf": token}, follow_redirects=True
            ),
        )
        chief = httpx.Client(base_url=base, timeout=60)
        form = chief.get("/portal/login").text
        nonce = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        chief.post("/portal/login", data={"token": boss, "csrf": nonce})
        review = timed("the coordinators' review page", lambda: chief.get("/portal/review"), 3)
        shown = len(re.findall(ROW, review.text))
        print(f"    {shown} submissions shown of {occurrences // 20:,} waiting")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--occurrences", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = (args.occurrences, args.events, args.units)
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "postgresql":
            run(f"sqlite:///{tmp}/portal.db", "SQLite", *sizes, tmp)
        if args.only == "sqlite":
            return
        with scratch_database() as url:
            run(url, "PostgreSQL", *sizes, tmp)


if __name__ == "__main__":
    main()

"""A page of `GET /api/occurrences` at 1,000 and at 1,000,000 occurrences.

`python bench/api_paging.py [--sizes 1000 1000000] [--only sqlite|postgresql]`

For each size, on SQLite and on PostgreSQL (a scratch database at 127.0.0.1): seed the plan
(`bench/audit.py`'s seed, one ledger event per occurrence), then time over real HTTP the first
page of 100, a page in the middle, the first page of one unit's occurrences, and the count the
answer carries as `total`. The page is read with LIMIT/OFFSET (`queries.occurrence_facts`
with `page=`): its rows cost the same at any size; the total and a deep OFFSET do not.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from audit import NOW, seed, timed
from scratch import scratch_database
from sqlalchemy import text

from duban.api import create_app
from duban.models.db import make_engine, session_scope, upgrade
from duban.portal import PortalConfig
from duban.tasks.access.tokens import create_token
from duban.tasks.audit.queries import count_occurrences
from duban.tasks.work.evidence import EvidenceStore
from tests.loopback import serving

UNITS = 200


def run(url: str, label: str, size: int, tmp: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    seed(engine, size, size, UNITS)
    with session_scope(engine) as session:
        _, secret = create_token(session=session, role="coordinator", plan_id="bench", now=NOW)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    print(f"{label}: {size:,} occurrences seeded in {time.perf_counter() - started:.0f} s")
    app = create_app(
        engine, clock=lambda: NOW, portal=PortalConfig(b"k", EvidenceStore(f"{tmp}/ev", 1 << 20))
    )
    with serving(app) as base:
        http = httpx.Client(
            base_url=base, timeout=120, headers={"Authorization": f"Bearer {secret}"}
        )
        params = {"limit": 100}
        first = timed("first page of 100", lambda: http.get("/api/occurrences", params=params))
        total = first.json()["total"]
        middle = {"limit": 100, "offset": total // 2}
        timed(f"page at offset {total // 2:,}", lambda: http.get("/api/occurrences", params=middle))
        unit = {"limit": 100, "unit": "u7"}
        timed("one unit's first page", lambda: http.get("/api/occurrences", params=unit))
        print(f"    total {total:,}; {len(first.json()['items'])} items a page")
    with session_scope(engine) as session:
        timed("the total alone (COUNT in SQL)", lambda: count_occurrences(session, "bench"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 1_000_000])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    for size in args.sizes:
        if args.only != "postgresql":
            with tempfile.TemporaryDirectory() as tmp:
                run(f"sqlite:///{tmp}/paging.db", "SQLite", size, tmp)
        if args.only != "sqlite":
            with scratch_database() as url, tempfile.TemporaryDirectory() as tmp:
                run(url, "PostgreSQL", size, tmp)


if __name__ == "__main__":
    main()

"""Bulk writes (`models.bulk.insert_many`) store exactly what the ORM would, on both
databases: values that repeat and values that differ, across batches, and a second write of
the same keys leaves the first in place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import col, select

from duban.models import Occurrence, Reminder
from duban.models.bulk import BATCH, insert_many
from duban.models.db import session_scope
from duban.tasks.remind.sweep import REMINDER_COLUMNS as COLUMNS
from tests.conftest import EXAMPLE_PLAN


def test_rows_written_in_bulk_read_back_as_written(cli, engine: Engine) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    start = dt.datetime(2022, 3, 1, 0, 30, tzinfo=dt.UTC)
    with session_scope(engine) as session:
        occurrence = session.exec(select(Occurrence.id).order_by(col(Occurrence.id))).first()
        shared: dict[str, object] = {}
        rows = [
            (
                occurrence,
                f"stage-{n}",
                "jjc" if n % 2 else "dcs",
                start + dt.timedelta(minutes=n % 7),  # a few distinct moments, many rows
                "pending",
                n % 3,
                0,
                shared if n % 2 else {"n": n, "list": [n, "x"]},  # one object, and many
            )
            for n in range(BATCH + 1234)  # more than a batch
        ]
        assert insert_many(session, Reminder.__table__, COLUMNS, rows) == len(rows)
    with session_scope(engine) as session:
        stored = {
            r.stage: r
            for r in session.exec(select(Reminder).where(Reminder.occurrence_id == occurrence))
        }
    assert len(stored) == len(rows)
    for row in rows[::997]:
        got = stored[row[1]]
        assert (got.recipient, got.planned_at, got.status, got.channel, got.outcome) == (
            row[2],
            row[3],
            "pending",
            row[5],
            row[7],
        )
    assert stored[f"stage-{BATCH + 1233}"].outcome == {}  # a shared value in a later batch


def test_skip_existing_leaves_the_first_row_and_counts_only_the_new(cli, engine: Engine) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    at = dt.datetime(2022, 3, 1, 0, 30, tzinfo=dt.UTC)
    key = ("occurrence_id", "stage", "recipient")
    with session_scope(engine) as session:
        occurrence = session.exec(select(Occurrence.id).order_by(col(Occurrence.id))).first()
        first = [
            (occurrence, f"s{n}", "jjc", at, "pending", 0, 0, {"first": True}) for n in range(3)
        ]
        assert insert_many(session, Reminder.__table__, COLUMNS, first, skip_existing=key) == 3
    with session_scope(engine) as session:
        again = [(occurrence, f"s{n}", "jjc", at, "sent", 1, 1, {}) for n in range(5)]
        assert insert_many(session, Reminder.__table__, COLUMNS, again, skip_existing=key) == 2
    with session_scope(engine) as session:
        stored = session.exec(select(Reminder).order_by(col(Reminder.stage))).all()
    assert [(r.stage, r.status, r.outcome) for r in stored] == [
        ("s0", "pending", {"first": True}),
        ("s1", "pending", {"first": True}),
        ("s2", "pending", {"first": True}),
        ("s3", "sent", {}),
        ("s4", "sent", {}),
    ]

"""The status history is hash-chained: tampering behind the application's back is found."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from duban.models.db import session_scope
from duban.tasks.timeline.opening import open_due
from tests.conftest import EXAMPLE_PLAN


@pytest.fixture
def ledger(cli, engine: Engine) -> Engine:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    with session_scope(engine) as session:
        open_due(session=session, plan_id="edu-2022", now=dt.datetime(2022, 7, 1, 2, tzinfo=dt.UTC))
    return engine


def test_an_intact_history_verifies(cli, ledger: Engine) -> None:
    result = cli("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "台账完整" in result.stdout


@pytest.mark.parametrize(
    ("tamper", "broken", "reason"),
    [
        ("UPDATE status_event SET actor = 'someone' WHERE id = 5", 5, "该行被改动"),
        ("UPDATE status_event SET note = NULL WHERE id = 7", 7, "该行被改动"),
        ("DELETE FROM status_event WHERE id = 9", 10, "链接断开"),
    ],
)
def test_tampering_names_the_first_broken_row(
    cli, ledger: Engine, tamper: str, broken: int, reason: str
) -> None:
    with ledger.begin() as connection:
        connection.execute(text(tamper))
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 1
    assert f'"broken_id": {broken}' in result.stdout and reason in result.stdout


def test_a_row_inserted_behind_the_applications_back_is_found(cli, ledger: Engine) -> None:
    with ledger.begin() as connection:
        last = connection.execute(
            text("SELECT max(id), max(occurrence_id) FROM status_event")
        ).one()
        connection.execute(
            text(
                "INSERT INTO status_event (id, occurrence_id, from_status, to_status, actor, at, evidence,"
                " prev_hash, hash) VALUES (:id, :occ, 'open', 'accepted', 'forger', '2022-07-02 00:00:00', '[]',"
                " :prev, :hash)"
            ),
            {
                "id": last[0] + 1,
                "occ": last[1],
                "prev": "f" * 64,
                "hash": "e" * 64,
            },
        )
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert f"台账第 {last[0] + 1} 条记录有问题" in result.stderr

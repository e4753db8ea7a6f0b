"""The status history is hash-chained: tampering behind the application's back is found."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from duban.models.db import session_scope
from duban.tasks.timeline.opening import open_due
from duban.tasks.work.ledger import verify, verify_parallel
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


# -- the tail: anchors kept outside the database ----------------------------------------------


def backup(db_url: str, engine: Engine, path: Path) -> Callable[[], None]:
    """Take a copy of the database as an operator would (the file; pg_dump) and return what
    restores it (the file copied back; pg_restore --clean)."""
    if db_url.startswith("sqlite"):  # sqlite3's online backup, as `.backup` and `.restore` do
        database = engine.url.database or ""

        def copy(source: str, target: str) -> None:
            with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
                src.backup(dst)

        copy(database, str(path))
        return lambda: copy(str(path), database)
    libpq = db_url.replace("+psycopg", "")
    subprocess.run(["pg_dump", "-Fc", "-f", str(path), libpq], check=True)
    return lambda: subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "-d", libpq, str(path)], check=True
    )


def test_deleting_the_last_row_is_caught_by_the_anchor(cli, ledger: Engine) -> None:
    anchored = cli("audit", "anchor", "--json")
    assert anchored.exit_code == 0, anchored.output
    kept = json.loads(anchored.stdout)["anchor"]
    with ledger.begin() as connection:
        connection.execute(
            text("DELETE FROM status_event WHERE id = (SELECT max(id) FROM status_event)")
        )

    result = cli("audit", "verify")  # the chain alone still holds: only the anchor shows it
    assert result.exit_code == 1
    assert "末尾 1 条被删除" in result.stderr and kept in result.stderr
    (Path(cli.env["DUBAN_DATA_DIR"]) / "ledger-anchors.jsonl").unlink()
    assert "尚无锚点" in cli("audit", "verify").stdout  # … which is why it is said when absent
    kept_by_auditor = cli("audit", "verify", "--anchor", kept)
    assert kept_by_auditor.exit_code == 1 and "末尾 1 条被删除" in kept_by_auditor.stderr


def test_a_database_restored_from_yesterdays_copy_is_caught(
    cli, ledger: Engine, db_url: str, tmp_path: Path
) -> None:
    restore = backup(db_url, ledger, tmp_path / "yesterday.backup")
    with session_scope(ledger) as session:  # today: the third quarter opens, a sweep anchors
        open_due(
            session=session, plan_id="edu-2022", now=dt.datetime(2022, 10, 10, 2, tzinfo=dt.UTC)
        )
    assert cli("audit", "anchor").exit_code == 0
    assert cli("audit", "verify").exit_code == 0

    ledger.dispose()
    restore()
    result = cli("audit", "verify")
    assert result.exit_code == 1
    assert "恢复自较早的备份" in result.stderr


def test_rows_written_after_the_anchor_keep_it_valid(cli, ledger: Engine) -> None:
    kept = json.loads(cli("audit", "anchor", "--json").stdout)
    with session_scope(ledger) as session:
        open_due(
            session=session, plan_id="edu-2022", now=dt.datetime(2022, 10, 10, 2, tzinfo=dt.UTC)
        )
    result = cli("audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    verified = json.loads(result.stdout)
    assert (
        verified["ok"] and verified["rows"] > kept["rows"] and verified["anchor"] == kept["anchor"]
    )
    by_hash = cli("audit", "verify", "--anchor", kept["hash"])  # the hash alone, as noted down
    assert by_hash.exit_code == 0 and "一致" in by_hash.stdout


@pytest.mark.parametrize(
    ("anchor", "line", "says"),
    [
        ("12:xyz", None, "锚点“12:xyz”格式不对"),
        (None, '{"at": null, "rows": 3}', "ledger-anchors.jsonl 第 2 行不是有效的锚点"),
    ],
)
def test_an_unreadable_anchor_is_one_sentence_with_the_fix(
    cli, ledger: Engine, anchor: str | None, line: str | None, says: str
) -> None:
    assert cli("audit", "anchor").exit_code == 0
    if line:
        with (Path(cli.env["DUBAN_DATA_DIR"]) / "ledger-anchors.jsonl").open("a") as out:
            out.write(line + "\n")
    result = cli("audit", "verify", *(["--anchor", anchor] if anchor else []))
    assert result.exit_code == 1 and says in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "tamper",
    [
        None,
        "UPDATE status_event SET actor = 'someone' WHERE id = 5",
        "UPDATE status_event SET note = 'x' WHERE id = (SELECT max(id) FROM status_event)",
        "DELETE FROM status_event WHERE id = 9",
    ],
)
def test_the_chain_checked_in_parallel_agrees_with_the_whole_chain(
    ledger: Engine, tamper: str | None
) -> None:
    if tamper:
        with ledger.begin() as connection:
            connection.execute(text(tamper))
    url = ledger.url.render_as_string(hide_password=False)
    with session_scope(ledger) as session:
        whole = verify(session)
    for workers in (2, 3, 7):  # spans of different lengths: breaks at and inside their edges
        assert verify_parallel(url, workers=workers, min_rows=0) == whole
    assert whole.ok == (tamper is None)


def test_opening_in_bulk_chains_every_row_and_opens_nothing_twice(engine: Engine, cli) -> None:
    assert cli("plan", "import", EXAMPLE_PLAN, "--now", "2022-01-01T08:00+08:00").exit_code == 0
    december = dt.datetime(2022, 12, 1, 2, tzinfo=dt.UTC)
    with session_scope(engine) as session:
        opened = open_due(session=session, plan_id="edu-2022", now=december)
        again = open_due(session=session, plan_id="edu-2022", now=december)
    with session_scope(engine) as session:
        statuses = dict(session.execute(text("SELECT id, status FROM occurrence")).all())
        events = session.execute(
            text("SELECT occurrence_id, to_status FROM status_event ORDER BY id")
        ).all()
        result = verify(session)
    assert len(opened) > 20 and again == []
    assert {statuses[o.id] for o in opened} == {"open"}
    assert sorted(e[0] for e in events) == sorted(o.id for o in opened)  # one row each
    assert result.ok and result.rows == len(opened)

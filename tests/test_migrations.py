"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import datetime as dt
import json

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from duban.models.db import current_revision, head_revision, upgrade


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_upgrade_is_rerunnable(engine: Engine) -> None:
    assert upgrade(engine) == (head_revision(), head_revision())


def test_0008_gives_each_existing_occurrence_its_task_owner(engine: Engine) -> None:
    """Upgrading a database with a year in it: every occurrence belongs to its task's owner
    (a 整改 keeps its duty), every task is given to its owner alone, no share is set."""
    from sqlalchemy import text

    from duban.models.db import upgrade as upgrade_to

    _empty(engine)
    upgrade_to(engine, "0007")
    at = "2022-03-31 10:00:00+00"
    with engine.begin() as c:
        c.execute(
            text(
                f"INSERT INTO plan (id, title, year, timezone, calendar, imported_at) VALUES ('p', 'P', 2022, 'Asia/Shanghai', '{{}}', '{at}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO task (id, plan_id, code, title, kind, owner, cooperating, schedule, reminders, active) VALUES (1, 'p', 'T', 'T', 'inspection', 'aqc', '[\"jjc\"]', '{}', '{}', true)"
            )
        )
        c.execute(
            text(
                "INSERT INTO indicator (id, plan_id, code, name, comparator, target_value, target_unit, report, active) VALUES (1, 'p', 'G', 'G', '>=', 1, '', '{}', true)"
            )
        )
        for oid, key, parent in ((1, "2022-03-31", "NULL"), (2, "2022-03-31/整改1", "1")):
            c.execute(
                text(
                    f"INSERT INTO occurrence (id, task_id, key, opens_at, due_at, original_due_at, grace_workdays, status, parent_id) VALUES ({oid}, 1, '{key}', '{at}', '{at}', '{at}', 0, 'open', {parent})"
                )
            )
    upgrade_to(engine)
    with engine.connect() as c:
        rows = c.execute(text("SELECT id, unit, duty FROM occurrence ORDER BY id")).all()
        units = c.execute(text("SELECT units FROM task")).scalar_one()
        shares = c.execute(text("SELECT shares FROM indicator")).scalar_one()
    assert [tuple(r) for r in rows] == [(1, "aqc", "lead"), (2, "aqc", "rectification")]
    assert (units if isinstance(units, list) else __import__("json").loads(units)) == ["aqc"]
    assert (shares if isinstance(shares, dict) else __import__("json").loads(shares)) == {}
    assert current_revision(engine) == head_revision()


def test_the_head_read_from_the_files_is_alembics() -> None:
    """Every command checks the schema version at start, without loading alembic: the head it
    reads from the migration files is the one alembic would upgrade to."""
    from alembic.script import ScriptDirectory

    from duban.models.db import MIGRATIONS

    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_0010_keeps_a_years_ledger_and_gives_plans_and_units_their_defaults(
    engine: Engine,
) -> None:
    """Upgrading a database with a ledger in it: its rows stay (the chain still verifies),
    occurrence_id may now be empty, every plan gets empty settings, every unit no digest."""
    from sqlalchemy import text
    from sqlmodel import Session

    from duban.models.db import upgrade as upgrade_to
    from duban.tasks.work.ledger import verify

    _empty(engine)
    upgrade_to(engine, "0009")
    at = "2022-03-31 10:00:00+00"
    with engine.begin() as c:
        c.execute(text(f"INSERT INTO plan (id, title, year, timezone, calendar, imported_at) VALUES ('p', 'P', 2022, 'Asia/Shanghai', '{{}}', '{at}')"))  # fmt: skip
        c.execute(text("INSERT INTO unit (id, plan_id, code, name, role, notify, active) VALUES (1, 'p', 'aqc', '安全稳定处', 'unit', '[]', true)"))  # fmt: skip
        c.execute(text("INSERT INTO task (id, plan_id, code, title, kind, owner, units, cooperating, schedule, reminders, active) VALUES (1, 'p', 'T', 'T', 'inspection', 'aqc', '[\"aqc\"]', '[]', '{}', '{}', true)"))  # fmt: skip
        c.execute(text(f"INSERT INTO occurrence (id, task_id, key, unit, duty, opens_at, due_at, original_due_at, grace_workdays, status) VALUES (1, 1, 'k', 'aqc', 'lead', '{at}', '{at}', '{at}', 0, 'open')"))  # fmt: skip
    from duban.models import Occurrence
    from duban.tasks.work.ledger import transition

    with Session(engine) as s:  # a real chained row, written by the code of 0009's time
        transition(session=s, occurrence=s.get_one(Occurrence, 1), to_status="acknowledged", actor="unit:aqc", now=dt.datetime(2022, 3, 30, tzinfo=dt.UTC))  # fmt: skip
        s.commit()
    upgrade_to(engine)
    with engine.connect() as c:
        settings = c.execute(text("SELECT settings FROM plan")).scalar_one()
        digest = c.execute(text("SELECT digest FROM unit")).scalar_one()
        events = c.execute(text("SELECT count(*) FROM status_event")).scalar_one()
    assert (settings if isinstance(settings, dict) else json.loads(settings)) == {}
    assert digest in (False, 0) and events == 1
    with Session(engine) as s:
        assert verify(s).ok
    assert current_revision(engine) == head_revision()


def _empty(engine: Engine) -> None:
    """No tables at all: a database to upgrade step by step from the first migration."""
    from sqlalchemy import text

    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS alembic_version"))
        for table in reversed(SQLModel.metadata.sorted_tables):
            c.execute(
                text(
                    f'DROP TABLE IF EXISTS "{table.name}" CASCADE'
                    if engine.dialect.name == "postgresql"
                    else f'DROP TABLE IF EXISTS "{table.name}"'
                )
            )

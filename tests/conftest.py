"""Shared fixtures: a real SQLite file and a real PostgreSQL database for every storage test.

Each test run creates its own PostgreSQL database (and drops it at the end), so runs on
one machine never collide. Each test gets an empty schema: a fresh SQLite file, or the
PostgreSQL tables truncated.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from typer.testing import CliRunner

from duban.models.db import make_engine, readonly, upgrade
from duban.runtime import get_settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = ROOT / "examples" / "plan-2022.yaml"
PG_ADMIN_URL = os.environ.get(
    "DUBAN_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# The start of the plan year, before anything opens: Beijing 2022-01-01 08:00.
NEW_YEAR = datetime(2022, 1, 1, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"duban_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgraded = make_engine(url)
    upgrade(upgraded)
    upgraded.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An upgraded, empty database of each kind."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'duban.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    url = request.getfixturevalue("pg_url")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    built = make_engine(db_url)
    yield built
    built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """The test's own look at the database: on SQLite a deferred transaction, so that holding
    it open does not hold the write lock the commands under test need (models.db.readonly)."""
    with Session(readonly(engine), expire_on_commit=False) as s:
        yield s


class Cli:
    """Runs `duban` in-process against one database, as a user would type it."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        self.env = {
            "DUBAN_DATABASE_URL": db_url,
            "DUBAN_DATA_DIR": str(data_dir),
            "DUBAN_LANG": "zh-CN",
            "COLUMNS": "200",
        }

    def __call__(self, *args: str):  # type: ignore[no-untyped-def]
        from duban.cli import app

        with environment(self.env):
            return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """These environment variables set (and the settings read anew) for the block; then as
    they were."""
    old = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    return Cli(db_url, tmp_path / "data")


@pytest.fixture
def cli_nodb(tmp_path: Path) -> Cli:
    """A CLI whose database is an un-upgraded SQLite file (for commands that need none)."""
    return Cli(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "data")


def subcommands(command: Any) -> dict[str, Any]:
    """A click group's commands by name (the top-level group imports each only when asked)."""
    if not hasattr(command, "list_commands"):
        return {}
    context = type(command).context_class(command)
    return {name: command.get_command(context, name) for name in command.list_commands(context)}

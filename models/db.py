"""Engine, sessions and the schema version guard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaOutdated(Exception):
    """The database is not at the schema this version of Duban needs."""

    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        super().__init__(f"database schema is {current or 'empty'}, this version needs {head}")


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def readonly(engine: Engine) -> Engine:
    """For reads that may take long or stay open (verifying the ledger, exports, a test's look
    at the database): on SQLite no transaction at all — each statement reads the latest
    committed state and neither waits for writers nor holds them up."""
    return engine.execution_options(sqlite_begin=None)


def _sqlite_begin(connection: Any) -> None:
    """SQLite cannot promote a read transaction to a write once another writer has committed
    (the ledger's chain head would be stale: two writers, one `prev_hash`). So every
    transaction takes the write lock when it begins, and concurrent writers queue on the busy
    timeout — as PostgreSQL's writers queue on the ledger's advisory lock."""
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    if mode:
        connection.exec_driver_sql(f"BEGIN {mode}")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver's own BEGIN is replaced by ours
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB: a year's indexes stay in memory
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w-]+)", re.MULTILINE)


def head_revision() -> str:
    """The newest migration: the one no other follows. Read from the files' `revision` and
    `down_revision` lines, without loading alembic (every command asks, at every start)."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (followed if down else revisions).add(value)
    heads = revisions - followed
    assert len(heads) == 1, heads
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never upgraded), read with one query."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the schema to `revision`; returns (before, after)."""
    from alembic import command

    before = current_revision(engine)
    command.upgrade(alembic_config(engine), revision)
    return before, current_revision(engine) or ""


def ensure_current(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutdated(current, head)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_engines: dict[str, Engine] = {}


def engine_for(url: str) -> Engine:
    """One engine per URL per process (flows and the API reuse it)."""
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]

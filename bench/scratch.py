"""A PostgreSQL database made for one benchmark run and dropped after it (so runs never
collide), on the server the tests use (`DUBAN_TEST_PG_ADMIN_URL`)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

PG_ADMIN = os.environ.get(
    "DUBAN_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def scratch_database() -> Iterator[str]:
    """The URL of a new, empty database; dropped (with its connections) on leaving."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"duban_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

"""Writing many rows at once: one driver `executemany`, each distinct value converted once.

A bureau's year is a hundred thousand occurrences and half a million reminder rows, and most
of their values repeat (a few dozen due dates, a handful of statuses). SQLAlchemy converts
every value of every row through its column type; here each distinct value is converted once
by the same converter (the column type's own bind processor for this database), and the rows
go to the driver in one call per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

BATCH = 5000  # rows a call: bounded memory for the converted copies


def insert_many(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """INSERT `rows` (dicts with the same keys; every NOT NULL column without a default given)
    into `table`, in the session's transaction. Returns the rows inserted."""
    if not rows:
        return 0
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    converters = [_converter(table.c[name].type, dialect) for name in names]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(marker for _ in names)})"
    )
    for start in range(0, len(rows), BATCH):
        batch = [
            tuple(convert(row[name]) for name, convert in zip(names, converters, strict=True))
            for row in rows[start : start + BATCH]
        ]
        connection.exec_driver_sql(statement, batch)
    return len(rows)


def _converter(column_type: Any, dialect: Any) -> Callable[[Any], Any]:
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return lambda value: value
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = process(value)
            return converted
        except TypeError:  # unhashable (a JSON list or mapping): converted each time
            return process(value)

    return convert

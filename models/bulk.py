"""Writing many rows at once: one driver `executemany`, each distinct value converted once.

A bureau's year is a hundred thousand occurrences and half a million reminder rows, and most
of their values repeat (a few dozen due dates, a handful of statuses). SQLAlchemy converts
every value of every row through its column type; here each distinct value is converted once
by the same converter (the column type's own bind processor for this database), and the rows
go to the driver in one call per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

BATCH = 5000  # rows a call: bounded memory for the converted copies


def insert_many(
    session: Session,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    skip_existing: Sequence[str] = (),
) -> int:
    """INSERT `rows` (tuples of values for `columns`; every NOT NULL column without a default
    given) into `table`, in the session's transaction; an iterator is consumed a batch at a
    time, so memory stays flat. With `skip_existing` (the columns of a unique key), a row whose
    key is already there is left out (`ON CONFLICT … DO NOTHING`, on SQLite and PostgreSQL).
    Returns the rows inserted."""
    connection = session.connection()
    dialect = connection.dialect
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    if skip_existing:
        statement += f" ON CONFLICT ({', '.join(skip_existing)}) DO NOTHING"
    iterator, inserted = iter(rows), 0
    while batch := list(islice(iterator, BATCH)):
        # fresh converters a batch: what they remember by identity belongs to this batch's rows
        converters = [
            (index, convert)
            for index, name in enumerate(columns)
            if (convert := _converter(table.c[name].type, dialect)) is not None
        ]
        if converters:  # column by column: the values of a column go through one converter
            values = list(zip(*batch, strict=True))
            for index, convert in converters:
                values[index] = tuple(map(convert, values[index]))
            batch = list(zip(*values, strict=True))
        else:
            batch = [tuple(row) for row in batch]  # the driver takes tuples
        inserted += connection.exec_driver_sql(statement, batch).rowcount
    return inserted


def _converter(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's own bind processor for this database, remembering what it gave for
    each value (None: the driver takes the values as they are)."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = converted = process(value)
            return converted
        except TypeError:  # unhashable (a JSON list or mapping): by identity — the batch holds
            key = ("id", id(value))  # its rows while they are converted, so ids are theirs
            if key not in seen:
                seen[key] = process(value)
            return seen[key]

    return convert

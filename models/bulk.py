"""Writing many rows at once: the driver's `executemany` on SQLite, `COPY` on PostgreSQL,
each distinct value converted once.

A bureau's year is a hundred thousand occurrences and half a million reminder rows, and most
of their values repeat (a few dozen due dates, a handful of statuses). SQLAlchemy converts
every value of every row through its column type; here each distinct value is converted once
by the same converter (the column type's own bind processor for this database), and the rows
go to the driver a batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from sqlalchemy import Table, text
from sqlmodel import Session

BATCH = 5000  # rows a call: bounded memory for the converted copies
ANALYZE_AFTER = 10_000


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
    time. With `skip_existing` (the columns of a unique key), a row whose key is already there
    is left out (`ON CONFLICT … DO NOTHING`; on PostgreSQL the converted rows are kept until
    the end, to be sent again that way if a key is taken). Returns the rows inserted."""
    connection = session.connection()
    dialect = connection.dialect
    batches = _converted(table, columns, rows, dialect)
    if dialect.name == "postgresql":
        return _copy(connection, table, columns, batches, skip_existing)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)})"
    )
    if skip_existing:
        statement += f" ON CONFLICT ({', '.join(skip_existing)}) DO NOTHING"
    return sum(connection.exec_driver_sql(statement, batch).rowcount for batch in batches)


def update_by_ids(session: Session, table: Table, ids: Sequence[int], **values: Any) -> None:
    """UPDATE `table` SET `values` for the rows with these ids, one statement a batch."""
    for start in range(0, len(ids), BATCH):
        session.execute(
            table.update().where(table.c.id.in_(ids[start : start + BATCH])).values(**values)
        )


def analyze_after(session: Session, table: Table, rows: int) -> None:
    """PostgreSQL plans from table statistics, refreshed only now and then by autovacuum: after
    a bulk write of `ANALYZE_AFTER` rows or more, refresh them at once (a fresh 100,000-row
    table planned from no statistics took twice as long to open)."""
    if rows >= ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {table.name}"))


def _converted(
    table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], dialect: Any
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows a batch at a time, each value as the column type gives it to the driver."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        # fresh converters a batch: what they remember by identity belongs to this batch's rows
        converters = [
            (index, convert)
            for index, name in enumerate(columns)
            if (convert := _converter(table.c[name].type, dialect)) is not None
        ]
        if not converters:
            yield [tuple(row) for row in batch]  # the driver takes tuples
            continue
        values = list(zip(*batch, strict=True))  # column by column: one converter each
        for index, convert in converters:
            values[index] = tuple(map(convert, values[index]))
        yield list(zip(*values, strict=True))


def _copy(
    connection: Any,
    table: Table,
    columns: Sequence[str],
    batches: Iterable[list[tuple[Any, ...]]],
    skip_existing: Sequence[str],
) -> int:
    """PostgreSQL: `COPY … FROM STDIN` (one stream, not a statement a row). With
    `skip_existing`, optimistically straight into the table under a savepoint; if a row's key
    is there already, again through a temporary table and `INSERT … SELECT … ON CONFLICT`
    (the check costs the database a third more, so it is paid only when needed)."""
    from psycopg.errors import UniqueViolation

    cursor = connection.connection.dbapi_connection.cursor()
    kept: list[list[tuple[Any, ...]]] = []  # what was sent, to send again on a conflict

    def keeping() -> Iterator[list[tuple[Any, ...]]]:
        for batch in batches:
            kept.append(batch)
            yield batch

    try:
        if not skip_existing:
            return _stream(cursor, table.name, columns, batches)
        cursor.execute("SAVEPOINT duban_bulk")
        try:
            copied = _stream(cursor, table.name, columns, keeping())
        except UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT duban_bulk")
        else:
            cursor.execute("RELEASE SAVEPOINT duban_bulk")
            return copied
        staging = f"_bulk_{table.name}"
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
            f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {staging}")
        _stream(cursor, staging, columns, chain(kept, batches))
        names = ", ".join(columns)
        cursor.execute(
            f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging} "
            f"ON CONFLICT ({', '.join(skip_existing)}) DO NOTHING"
        )
        return int(cursor.rowcount)
    finally:
        cursor.close()


def _stream(
    cursor: Any, table: str, columns: Sequence[str], batches: Iterable[list[tuple[Any, ...]]]
) -> int:
    copied = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for batch in batches:
            for row in batch:
                copy.write_row(row)
            copied += len(batch)
    return copied


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

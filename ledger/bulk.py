"""Bulk writes for the ledger's big batches (an import of 100,000 payments), one API for both
databases.

PostgreSQL (psycopg 3): ``COPY ... FROM STDIN`` for inserts, and for updates a ``COPY`` into a
temporary table followed by one ``UPDATE ... FROM``; lookups pass one array parameter
(``= ANY (%s)``) instead of thousands of placeholders. The SQL text never grows with the number
of rows, and there is one round trip per batch instead of one per row. SQLite: plain
``executemany`` in chunks, which is fast there. Everything runs in the caller's transaction.

Only for tables and columns of our own schema (names are checked against the metadata, never
taken from input).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import count
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as postgresql_types
from sqlmodel import Session

from ledger.chunks import chunked
from ledger.models import table

CHUNK = 500  # rows per executemany and values per IN (...) (SQLite)
LOOKUP_CHUNK_POSTGRESQL = 10_000  # values per "= ANY (array)" lookup
# After a COPY of at least this many rows that also at least doubles what the planner thinks the
# table holds, PostgreSQL's statistics are refreshed (ANALYZE), so that the queries that follow
# in the same transaction use the indexes: a table that grew from nothing would otherwise be
# read whole for every lookup. A table of settled size is never analysed here.
ANALYZE_AFTER_ROWS = 10_000
_temporary_names = count(1)


def copy_available(session: Session) -> bool:
    """Whether bulk writes can use ``COPY``: PostgreSQL through psycopg 3."""
    dialect = session.connection().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def any_of(values: Sequence[object], item_type: sa.types.TypeEngine[Any]) -> Any:
    """``= ANY (:array)`` on PostgreSQL: ``column == any_of(values, sa.Integer())``."""
    return sa.any_(sa.bindparam(None, list(values), type_=postgresql_types.ARRAY(item_type)))


def lookup_chunk(session: Session) -> int:
    """Values per lookup: many in one array on PostgreSQL, a few hundred placeholders else."""
    return LOOKUP_CHUNK_POSTGRESQL if copy_available(session) else CHUNK


def one_of(session: Session, column: Any, values: Sequence[object]) -> Any:
    """``column IN (values)``, as ``column = ANY (:array)`` on PostgreSQL (one parameter)."""
    if not copy_available(session):
        return column.in_(values)
    return column == any_of(values, column.type)


def _checked(name: str, columns: Sequence[str]) -> sa.Table:
    target = table(name)
    unknown = [column for column in columns if column not in target.c]
    assert not unknown, f"{name} has no column {unknown}"
    return target


def bulk_insert(
    session: Session, name: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Insert rows (values in ``columns`` order, enums as their ``.value``); return how many."""
    target = _checked(name, columns)
    connection = session.connection()
    if not copy_available(session):
        inserted = 0
        for chunk in chunked(rows, CHUNK):
            rows_as_dicts = [dict(zip(columns, row, strict=True)) for row in chunk]
            connection.execute(sa.insert(target), rows_as_dicts)
            inserted += len(chunk)
        return inserted
    copied = _copy(connection, f"COPY {target.name} ({', '.join(columns)}) FROM STDIN", rows)
    if copied >= ANALYZE_AFTER_ROWS and copied >= _planned_rows(connection, target.name):
        connection.exec_driver_sql(f"ANALYZE {target.name}")
    return copied


def _planned_rows(connection: sa.Connection, name: str) -> float:
    """How many rows PostgreSQL's planner believes the table has (from its last ANALYZE)."""
    found = connection.execute(
        sa.text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)"),
        {"name": name},
    ).scalar_one()
    return max(float(found), 0.0)


def bulk_update(
    session: Session,
    name: str,
    key: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    """Set ``columns`` of the rows whose ``key`` column equals each row's first value.

    ``rows`` are ``(key value, value of columns[0], value of columns[1], ...)``.
    """
    target = _checked(name, (key, *columns))
    connection = session.connection()
    if not copy_available(session):
        statement = (
            sa.update(target)
            .where(target.c[key] == sa.bindparam("b_key"))
            .values({column: sa.bindparam(f"b_{column}") for column in columns})
        )
        updated = 0
        for chunk in chunked(rows, CHUNK):
            values = [
                {"b_key": row[0], **{f"b_{c}": v for c, v in zip(columns, row[1:], strict=True)}}
                for row in chunk
            ]
            connection.execute(statement, values)
            updated += len(chunk)
        return updated
    scratch = f"almen_bulk_{next(_temporary_names)}"
    listed = ", ".join((key, *columns))  # names checked against our metadata above
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {listed} FROM {target.name} WITH NO DATA"
    )
    copied = _copy(connection, f"COPY {scratch} ({listed}) FROM STDIN", rows)
    source = sa.table(scratch, *(sa.column(name) for name in (key, *columns)))
    connection.execute(
        sa.update(target)
        .where(target.c[key] == source.c[key])
        .values({column: source.c[column] for column in columns})
    )
    connection.exec_driver_sql(f"DROP TABLE {scratch}")
    return copied


def _copy(connection: sa.Connection, statement: str, rows: Iterable[Sequence[object]]) -> int:
    driver = connection.connection.driver_connection
    assert driver is not None
    copied = 0
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            copied += 1
    return copied

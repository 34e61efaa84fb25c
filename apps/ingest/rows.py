"""Plain INSERTs and one-statement DELETEs for the importer.

The ORM's per-object work was most of an import's time. Rows are lists of values in the order
of the `columns` they are inserted with; PostgreSQL receives them a column at a time, as arrays
(`unnest`), SQLite one row at a time through one prepared statement (`executemany`). A tree
(sections, claims) goes in at once, with ids taken beforehand (`reserve_ids`), so that each
row names its parent's id without waiting for the database to give it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection
from django.db.transaction import TransactionManagementError

from apps.episodes.models import Article, Channel, Claim, Episode, Link, Section, Timestamp

# SQLite allows 32,766 parameters in a statement (PostgreSQL 65,535); stay well below.
MAX_QUERY_PARAMETERS = 10_000


class InsertedRow(NamedTuple):
    id: int
    returned: object  # the value of the column named by `insert_rows(returning=...)`


def insert_rows(
    model: type, columns: list[str], rows: list, returning: str | None = None
) -> list[InsertedRow]:
    """INSERT `rows` into the model's table, a few statements for all of them.

    With `returning`, gives back every inserted row's id and the value of that column.
    """
    if not rows:
        return []
    if returning is None:
        if connection.vendor == "postgresql":
            _insert_columns(model, columns, rows)
        else:
            _insert_each(model, columns, rows)
        return []
    per_statement = max(1, MAX_QUERY_PARAMETERS // len(columns))
    returned: list[InsertedRow] = []
    # The driver's own cursor: Django's would rewrite each long statement's placeholders. Its
    # errors are turned into Django's, which the caller catches to refuse just this file.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        driver_cursor = cursor.cursor
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            driver_cursor.execute(
                _insert_statement(
                    connection.vendor, model._meta.db_table, tuple(columns), len(chunk), returning
                ),
                [value for row in chunk for value in row],
            )
            if returning:
                returned.extend(map(InsertedRow._make, driver_cursor.fetchall()))
    return returned


def _insert_columns(model: type, columns: list[str], rows: list) -> None:
    """PostgreSQL: every row in one statement, each column sent as one array.

    The statement's text is the same whatever the number of rows, and short: the server
    parses and plans it in no time, where a VALUES list of every row cost it more than
    inserting them.
    """
    values = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.execute(_unnest_statement(model, tuple(columns)), values)


def update_rows(model: type, columns: list[str], rows: list) -> None:
    """UPDATE rows by id: each row gives the new values of `columns`, then the row's id. One
    prepared statement run for every row, where the ORM's `bulk_update` builds a CASE of every
    row for each column."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s", rows
        )


def _insert_each(model: type, columns: list[str], rows: list) -> None:
    """SQLite: one row per execution of one statement, compiled once for the whole import.

    A VALUES list of every row is a new statement for each number of rows, which SQLite
    compiles into a program as long as its rows: that cost more than inserting them.
    """
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.executemany(
            _insert_statement(connection.vendor, model._meta.db_table, tuple(columns), 1, None),
            rows,
        )


@functools.lru_cache(maxsize=64)
def _unnest_statement(model: type, columns: tuple[str, ...]) -> str:
    fields = {field.column: field for field in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    arrays = ", ".join(f"%s::{_array_element_type(fields[column])}[]" for column in columns)
    names = ", ".join(quote(column) for column in columns)
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays})"


def _array_element_type(field) -> str:
    # Text, not varchar(n): a cast to varchar(n) would cut an over-long value where the
    # column refuses it.
    db_type = field.cast_db_type(connection)
    return "text" if db_type.startswith("varchar") else db_type


@functools.lru_cache(maxsize=4096)
def _insert_statement(
    vendor: str, table: str, columns: tuple[str, ...], row_count: int, returning: str | None
) -> str:
    quote = connection.ops.quote_name
    placeholder = "?" if vendor == "sqlite" else "%s"
    one_row = "(" + ", ".join([placeholder] * len(columns)) + ")"
    suffix = f" RETURNING id, {quote(returning)}" if returning else ""
    names = ", ".join(quote(column) for column in columns)
    return f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([one_row] * row_count)}{suffix}"


def reserve_ids(counts: dict[type, int]) -> dict[type, list[int]]:
    """So many new ids of each model's table, so that its rows (a whole tree at once) need no
    `RETURNING` and nobody waits for their ids. PostgreSQL takes them from the tables'
    sequences in one query; SQLite counts on from the highest id each table ever gave, which
    nobody else can take while the caller's transaction holds the write lock."""
    if connection.vendor != "postgresql":
        if not connection.in_atomic_block:
            raise TransactionManagementError("SQLite's ids are reserved within a transaction.")
        return _next_sqlite_ids(counts)
    models = list(counts)
    taken = ", ".join(
        "(SELECT coalesce(array_agg(nextval(pg_get_serial_sequence(%s, 'id'))), '{}') "
        "FROM generate_series(1, %s))"
        for _ in models
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {taken}",
            [value for model in models for value in (model._meta.db_table, counts[model])],
        )
        return dict(zip(models, map(list, cursor.fetchone()), strict=True))


def _next_sqlite_ids(counts: dict[type, int]) -> dict[type, list[int]]:
    """The next ids of AUTOINCREMENT tables: past the highest each ever gave (`sqlite_sequence`,
    which rows inserted with their own ids move on), so no deleted row's id comes back."""
    tables = {model._meta.db_table: model for model in counts}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, seq FROM sqlite_sequence WHERE name IN "
            f"({', '.join(['%s'] * len(tables))})",
            list(tables),
        )
        highest = dict(cursor.fetchall())
    starts = {model: highest.get(table, 0) + 1 for table, model in tables.items()}
    return {model: list(range(start, start + counts[model])) for model, start in starts.items()}


@contextmanager
def pipelined() -> Iterator[None]:
    """PostgreSQL: the statements within go to the server together and are answered at the
    end, one round trip for all (an error is raised then); statements elsewhere."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def parent_id(ids: list[int], parent: int | None) -> int | None:
    """The reserved id of a tree's row at position `parent`, if it has a parent."""
    return None if parent is None else ids[parent]


def fit(value: str, model: type, field_name: str) -> str:
    """Cut a value to its column's length, so PostgreSQL never refuses an over-long title."""
    limit = _max_length(model, field_name)
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.cache
def _max_length(model: type, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def delete_article_rows(article_id: int) -> None:
    """Delete the article's sections, claims, timestamps and links, to be written anew."""
    # One statement per table instead of Django's cascade collector, which would load every
    # row first; foreign keys are checked at commit, so the order is free.
    for queryset in (
        Timestamp.objects.filter(claim__article_id=article_id),
        Claim.objects.filter(article_id=article_id),
        Section.objects.filter(article_id=article_id),
        Link.objects.filter(article_id=article_id),
    ):
        queryset._raw_delete(queryset.db)


def refresh_content_statistics() -> None:
    """Give PostgreSQL's planner the size of the content tables an import has just filled.

    Until ANALYZE has run, a filled table is planned as it was before (or as empty), so a seek
    scans every timestamp once per article; autovacuum would come by later, or never where it
    is off. SQLite plans these queries from its indexes, with no statistics needed.
    """
    if connection.vendor != "postgresql":
        return
    models = (Channel, Episode, Article, Section, Claim, Timestamp, Link)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")

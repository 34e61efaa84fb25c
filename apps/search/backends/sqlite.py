"""SQLite: an FTS5 table over the documents, ranked with bm25.

The FTS5 table (migration 0002) reads its text from the documents' table (external content);
triggers keep it in step on deletes and updates, and `insert_documents` indexes new rows in
bulk, one statement per batch (migration 0003 says why there is no insert trigger). FTS5 keeps
new terms in memory until a commit or savepoint, then writes them out as a new segment:
merging many small segments costs more than the inserts, so writers index a whole batch in
one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from apps.search.backends.base import HIT_COLUMNS, SearchBackend, best_first
from apps.search.models import SearchDocument
from apps.search.text import Term

# Made by migration 0002 beside the documents' table; no model names it.
FTS_TABLE = "search_fts"


class SQLiteSearchBackend(SearchBackend):
    def __init__(self) -> None:
        super().__init__()
        self.fts = connection.ops.quote_name(FTS_TABLE)
        # Relative weights of a document's columns: titles, then the claim's label, then its text.
        self.bm25 = f"bm25({self.fts}, 10.0, 4.0, 1.0)"

    def insert_documents(self, columns: Sequence[str], rows: list[tuple]) -> None:
        names = self.column_names(columns)
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {self.documents}")
            [last_id] = cursor.fetchone()
            # One prepared statement run for every row: SQLite's cheapest bulk insert.
            cursor.executemany(
                f"INSERT INTO {self.documents} ({names}) VALUES ({placeholders})", rows
            )
            # New rows take ids above the greatest (no AUTOINCREMENT); this transaction is the
            # only writer (see migration 0003 for why there is no trigger).
            cursor.execute(
                f"INSERT INTO {self.fts}(rowid, title, label, body) "
                f"SELECT id, title, label, body FROM {self.documents} WHERE id > %s",
                [last_id],
            )

    def set_indexes_aside(self) -> list[str]:
        """Drop the documents' own indexes (FTS5's stays): made again by sorting every row once
        rather than row by row in the scattered order the documents are written in."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL ORDER BY name",
                [SearchDocument._meta.db_table],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _, definition in found]

    def refresh_statistics(self) -> None:
        """Nothing to do: the planner takes FTS5's index for MATCH without statistics."""

    def match(self, terms: list[Term]) -> tuple[str, list]:
        sql = (
            f"FROM {self.fts} JOIN {self.documents} d ON d.id = {self.fts}.rowid "
            f"WHERE {self.fts} MATCH %s"
        )
        return sql, [fts5_query(terms)]

    def ranked(self, terms: list[Term], author_id: int | None, max_hits: int) -> list[tuple]:
        """bm25 first reads every match of every term (to weigh each term by how rare it is),
        so only queries with at most `max_hits` matches are ranked by it; a broader query ranks
        the first `max_hits` + 1 matches the index yields by which columns hold its words
        instead, in the same query."""
        sql, params = self.matching(terms, author_id)
        score, score_params = _column_score(terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {HIT_COLUMNS}, d.id, {score} {sql} LIMIT %s",
                [*score_params, *params, max_hits + 1],
            )
            found = cursor.fetchall()
            if len(found) <= max_hits:
                cursor.execute(f"SELECT {HIT_COLUMNS} {sql} ORDER BY {self.bm25}, d.id", params)
                return cursor.fetchall()
        return best_first(found)


def fts5_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression; words hold only letters, digits and marks."""
    return " AND ".join(
        '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "") for term in terms
    )


def _column_score(terms: list[Term]) -> tuple[str, list]:
    """The weights of the columns (titles 10, label 4, text 1) holding each term, added."""
    parts, params = [], []
    for term in terms:
        needle = " " + " ".join(term.words) + ("" if term.prefix else " ")
        for weight, column in ((10, "d.title"), (4, "d.label"), (1, "d.body")):
            parts.append(
                f"(CASE WHEN instr(' ' || {column} || ' ', %s) > 0 THEN {weight} ELSE 0 END)"
            )
            params.append(needle)
    return " + ".join(parts), params

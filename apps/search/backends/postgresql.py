"""PostgreSQL: a stored, weighted tsvector column with a GIN index, ranked with ts_rank.

The column (migration 0002) weighs titles A, labels B and text D; the documents are kept in
hash partitions, each with its own index (migration 0006), so a broad query stops reading
once it has the matches it takes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from apps.search.backends.base import HIT_COLUMNS, SearchBackend, best_first
from apps.search.text import Term


class PostgreSQLSearchBackend(SearchBackend):
    def insert_documents(self, columns: Sequence[str], rows: list[tuple]) -> None:
        # COPY: a corpus's documents are written faster than by executemany.
        names = self.column_names(columns)
        copy_sql = f"COPY {self.documents} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)

    def refresh_statistics(self) -> None:
        """Without fresh statistics the planner scans a freshly filled table instead of using
        the GIN index, until autovacuum comes by."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.documents}")

    def match(self, terms: list[Term]) -> tuple[str, list]:
        sql = f"FROM {self.documents} d, to_tsquery('simple', %s) AS query WHERE d.vector @@ query"
        return sql, [tsquery(terms)]

    def ranked(self, terms: list[Term], author_id: int | None, max_hits: int) -> list[tuple]:
        """ts_rank reads only the row at hand, so every match is ranked in the query that
        finds it (weights A, B and D: titles 1.0, labels 0.4, text 0.1)."""
        sql, params = self.matching(terms, author_id)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {HIT_COLUMNS}, d.id, ts_rank(d.vector, query) {sql} LIMIT %s",
                [*params, max_hits + 1],
            )
            return best_first(cursor.fetchall())


def tsquery(terms: list[Term]) -> str:
    """The to_tsquery('simple', …) expression for `terms`."""
    parts = []
    for term in terms:
        words = [f"'{word}'" for word in term.words]
        if term.prefix:
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0])
    return " & ".join(parts)

"""What indexing and queries ask of a database's full-text index.

Indexing writes documents with `insert_documents` and calls `refresh_statistics` after
writing many; queries select from `matching` (documents `d` that match every term and that
a reader may see) and rank with `ranked`. Each database keeps all of its SQL in its own
module beside this one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

from apps.search.models import SearchDocument
from apps.search.text import Term

# What a ranked hit is read as: (kind, claim id, annotation id, seconds).
HIT_COLUMNS = "d.kind, d.claim_id, d.annotation_id, d.seconds"


class SearchBackend(ABC):
    def __init__(self) -> None:
        self.documents = connection.ops.quote_name(SearchDocument._meta.db_table)

    @abstractmethod
    def insert_documents(self, columns: Sequence[str], rows: list[tuple]) -> None:
        """Write `rows` (values of `columns`, in order) and index them, in the caller's
        transaction; `rows` is never empty."""

    @abstractmethod
    def refresh_statistics(self) -> None:
        """Called after many documents were written at once."""

    @contextmanager
    def writing_in_bulk(self) -> Iterator[None]:
        """Within it, in the caller's transaction, a backend may set the documents' indexes
        aside and build them again once at the end: for writes of most of the documents,
        where building an index in one pass can cost less than adding to it row by row.
        Nothing reads the documents meanwhile (see `indexing.index_articles`).
        """
        definitions = self.set_indexes_aside()
        yield
        # Not after an error: rolling the transaction back puts the indexes back.
        self.build_indexes(definitions)

    def set_indexes_aside(self) -> list[str]:
        """Drop the documents' indexes that are cheaper to build again; the statements that
        make them. None by default: PostgreSQL's GIN index already gathers new entries in a
        pending list, and building it again took its server more time, not less."""
        return []

    def build_indexes(self, definitions: list[str]) -> None:
        with connection.cursor() as cursor:
            for definition in definitions:
                cursor.execute(definition)

    @abstractmethod
    def match(self, terms: list[Term]) -> tuple[str, list]:
        """FROM the documents `d` (and the index) WHERE `d` matches every term, and its
        parameters."""

    @abstractmethod
    def ranked(self, terms: list[Term], author_id: int | None, max_hits: int) -> list[tuple]:
        """(kind, claim id, annotation id, seconds) of up to `max_hits` + 1 documents matching
        `terms` that `author_id` may see, best first."""

    def matching(
        self, terms: list[Term], author_id: int | None, kind: str | None = None
    ) -> tuple[str, list]:
        """FROM/WHERE for the documents `d` matching every term that `author_id` may see
        (public ones and their own), of `kind` if given, and its parameters."""
        sql, params = self.match(terms)
        sql += " AND (d.public OR d.author_id = %s)"
        params = [*params, author_id]
        if kind is not None:
            sql += " AND d.kind = %s"
            params.append(kind)
        return sql, params

    def column_names(self, columns: Sequence[str]) -> str:
        return ", ".join(connection.ops.quote_name(column) for column in columns)


def best_first(found: list[tuple]) -> list[tuple]:
    """Rows of `HIT_COLUMNS`, id, score: the hits by score (higher first), then by id."""
    found.sort(key=lambda row: (-row[5], row[4]))
    return [row[:4] for row in found]

"""Indexing most of the articles at once builds the documents' indexes again, once, as they were.

The conftest's library is imported into an empty database, so its two articles are all of
them: `index_articles` takes the bulk path (on SQLite the documents' indexes are set aside, the
rows written, the indexes built again; PostgreSQL keeps its indexes).
"""

from __future__ import annotations

from django.db import connection

from apps.episodes.models import Claim
from apps.search.indexing import index_articles
from apps.search.models import SearchDocument
from tests.search.test_search import texts


def index_definitions() -> list[tuple[str, str]]:
    """The documents' indexes (their partitions' too on PostgreSQL), by name, as SQL."""
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                "OR i.indrelid IN (SELECT inhrelid FROM pg_inherits "
                "WHERE inhparent = %s::regclass) ORDER BY 1",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, coalesce(sql, '') FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s ORDER BY 1",
                [table],
            )
        return cursor.fetchall()


def index_ids() -> list[int]:
    """What changes when an index is made again: its object id, or its first page."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexrelid::int FROM pg_index WHERE indrelid = %s::regclass ORDER BY 1",
                [SearchDocument._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "ORDER BY name",
                [SearchDocument._meta.db_table],
            )
        return [row[0] for row in cursor.fetchall()]


def test_indexing_every_article_again_keeps_the_same_indexes_and_hits(library) -> None:
    before = index_definitions()
    documents = sorted(SearchDocument.objects.values_list("claim_id", "title", "label", "body"))
    article_ids = list(library.tokenizers.articles.values_list("pk", flat=True)) + list(
        library.bullets.articles.values_list("pk", flat=True)
    )

    index_articles(article_ids)

    assert index_definitions() == before
    assert sorted(SearchDocument.objects.values_list("claim_id", "title", "label", "body")) == (
        documents
    )
    assert len(documents) == Claim.objects.count()
    assert texts("tokens splits") == ["Definition: A tokenizer splits text into tokens."]


def test_indexing_a_few_of_many_articles_adds_to_the_indexes_as_they_stand(library) -> None:
    [tokenizers_article] = library.tokenizers.articles.values_list("pk", flat=True)
    before = index_ids()

    index_articles([tokenizers_article])  # one of two: not more than half of them

    assert index_ids() == before
    assert texts("tokens splits") == ["Definition: A tokenizer splits text into tokens."]

"""Migrating the search index keeps every document, and can be undone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

SINGLE_TABLE = [("search", "0005_postgresql_vector_statistics")]
PARTITIONED = [("search", "0006_postgresql_partitioned_documents")]


def migrate(target):
    executor = MigrationExecutor(connection)  # a fresh one knows what is applied now
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def documents(apps, word: str) -> list[tuple]:
    """(id, body) of the documents whose vector has `word`, read as search reads them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, body FROM search_searchdocument "
            "WHERE vector @@ to_tsquery('simple', %s) ORDER BY id",
            [word],
        )
        return cursor.fetchall()


def partition_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'search_searchdocument'::regclass"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_partitioning_keeps_documents_and_their_ids_both_ways() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL migration; SQLite's table stays as it is")
    old = migrate(SINGLE_TABLE)
    Episode = old.get_model("episodes", "Episode")
    Document = old.get_model("search", "SearchDocument")
    episode = Episode.objects.create(video_id="AAAAAAAAAAA")
    made = [
        Document.objects.create(kind="claim", episode_id=episode.pk, body=f"walrus {n}").pk
        for n in range(20)
    ]
    before = documents(old, "walrus")

    new = migrate(PARTITIONED)
    after = documents(new, "walrus")
    later = new.get_model("search", "SearchDocument").objects.create(
        kind="claim", episode_id=episode.pk, body="walrus again"
    )

    assert (partition_count(), [row[0] for row in before]) == (8, made)
    assert after == before
    assert later.pk > max(made)  # the sequence carries on from the copied ids

    undone = migrate(SINGLE_TABLE)
    assert partition_count() == 0
    assert documents(undone, "walrus") == [*before, (later.pk, "walrus again")]
    again = undone.get_model("search", "SearchDocument").objects.create(
        kind="claim", episode_id=episode.pk, body="walrus thrice"
    )
    assert again.pk > later.pk

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert partition_count() == 8

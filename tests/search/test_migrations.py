"""Migrating the search index keeps every document, and can be undone; upgrading rewrites
the documents whose content changed meaning."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.annotations.models import Annotation
from apps.episodes.models import Episode
from apps.reader.words import index_text
from apps.search.models import SearchDocument
from apps.search.queries import search
from tests.annotations.factories import make_user

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


@pytest.mark.django_db(transaction=True)
def test_upgrading_indexes_existing_notes_by_their_text_not_their_markdown() -> None:
    body = "*now italic* and a [link](https://example.org/hidden)"
    note = Annotation.objects.create(
        author=make_user("ada"),
        episode=Episode.objects.create(video_id="BBBBBBBBBBB", title="Walruses"),
        body=body,
        visibility=Annotation.Visibility.PUBLIC,
    )
    # As notes were indexed before: their Markdown's words.
    SearchDocument.objects.filter(annotation_id=note.pk).update(body=index_text(body))
    migrate([("search", "0007_one_document_per_annotation")])
    before = [len(search(word)) for word in ["link", "hidden", "https"]]

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    document = SearchDocument.objects.get(annotation_id=note.pk)
    assert before == [1, 1, 1]
    assert document.body == "now italic and a link"
    assert [len(search(word)) for word in ["link", "hidden", "https"]] == [1, 0, 0]

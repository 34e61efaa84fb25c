"""What an import stores, and that it stores each thing once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.episodes.models import Claim, Timestamp
from apps.ingest.importer import import_paths
from apps.ingest.pool import read_document
from apps.ingest.writer import ArticleWriter
from apps.search.indexing import indexing_in_batches
from apps.search.models import SearchDocument
from apps.search.queries import claims_matching

from .seed_files import write

pytestmark = pytest.mark.django_db

ARTICLE = """---
title: Segments
videoId: SEGMENTSAAA
---

*   Imitate the internet <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>. Predict tokens <a class="yt-timestamp" data-t="00:01:37">[00:01:37]</a>.
"""


def test_timestamps_keep_no_copy_of_their_segment_which_the_claims_html_holds(
    tmp_path: Path,
) -> None:
    write(tmp_path, "segments.md", ARTICLE)

    import_paths([tmp_path])

    with connection.cursor() as cursor:
        columns = [
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Timestamp._meta.db_table
            )
        ]
    assert sorted(columns) == ["claim_id", "episode_id", "id", "position", "seconds"]
    claim = Claim.objects.get()
    assert list(claim.timestamps.order_by("position").values_list("seconds", flat=True)) == [
        69,
        97,
    ]
    segments = claim.html.split('<span class="seg" data-segment>')[1:]
    assert [segment.split(" <a ")[0] for segment in segments] == [
        "Imitate the internet",
        "Predict tokens",
    ]


def test_a_new_article_asks_no_delete_of_search_documents_it_cannot_have(
    tmp_path: Path,
) -> None:
    write(tmp_path, "segments.md", ARTICLE)

    with CaptureQueriesContext(connection) as new_import:
        import_paths([tmp_path])
    write(tmp_path, "segments.md", ARTICLE.replace("Predict tokens", "Predict words"))
    with CaptureQueriesContext(connection) as reimport:
        import_paths([tmp_path])

    def deletes_by_article(queries: CaptureQueriesContext) -> int:
        return sum(
            query["sql"].startswith(f"DELETE FROM {documents}") and "article_id" in query["sql"]
            for query in queries.captured_queries
        )

    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    # Once while the files are written, once when the run indexes them.
    assert (deletes_by_article(new_import), deletes_by_article(reimport)) == (1, 2)
    assert [claim.text for claim in claims_matching("words")] == [
        "Imitate the internet. Predict words."
    ]
    assert list(claims_matching("tokens")) == []


DEEP = """---
title: Deep
videoId: DEEPDEEPAAA
---

## Part
### Detail
*   One <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a>.
    *   Two <a class="yt-timestamp" data-t="00:00:02">[00:00:02]</a>.
        *   Three <a class="yt-timestamp" data-t="00:00:03">[00:00:03]</a>.
            *   Four, see [[flat]].
"""
FLAT = """---
title: Flat
videoId: FLATFLATAAA
---

*   One <a class="yt-timestamp" data-t="00:00:01">[00:00:01]</a>.
*   Two, see [[deep]].
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="round trips to a server")
def test_postgresql_takes_as_many_round_trips_for_a_deep_article_as_for_a_flat_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection.ensure_connection()
    driver = connection.connection
    # A round trip: every wait for the server outside a pipeline, and each pipeline.
    round_trips: list[str] = []
    wait, pipeline = driver.wait, driver.pipeline

    def waited(*args, **kwargs):
        if driver._pipeline is None:
            round_trips.append("statement")
        return wait(*args, **kwargs)

    def pipelined():
        round_trips.append("pipeline")
        return pipeline()

    monkeypatch.setattr(driver, "wait", waited)
    monkeypatch.setattr(driver, "pipeline", pipelined)
    writer = ArticleWriter()

    def round_trips_to_write(name: str, text: str) -> int:
        document = read_document(write(tmp_path, name, text))
        with indexing_in_batches():  # the search index is written at the end, as by imports
            round_trips.clear()
            with transaction.atomic():
                writer.write_article(document.parsed, document.display_path, document.digest)
            return len(round_trips)

    # The first article also makes the episode, the content version's row and so on.
    round_trips_to_write(
        "first.md", FLAT.replace("FLATFLATAAA", "FIRSTFIRSTA").replace("Flat", "First")
    )
    flat, deep = round_trips_to_write("flat.md", FLAT), round_trips_to_write("deep.md", DEEP)

    assert Claim.objects.filter(article__title="Deep").order_by("position").values_list(
        "depth", "parent__text"
    )[3] == (3, "Three.")
    assert deep == flat

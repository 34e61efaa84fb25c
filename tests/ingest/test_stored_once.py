"""What an import stores, and that it stores each thing once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.episodes.models import Claim, Timestamp
from apps.ingest.importer import import_paths
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

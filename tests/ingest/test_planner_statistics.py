"""After an import, PostgreSQL's planner knows what the content tables hold.

Without statistics a freshly filled table looks as it did before the import, and a seek
(`/api/claims?at=`) scans every timestamp once per article: after the corpus's import it took
0.6 to 1.7 s instead of 6 ms, until autovacuum came by (and never, where it is off). SQLite
plans from its indexes without statistics, so there is nothing to check there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from apps.episodes.models import Article, Claim, Episode, Section, Timestamp
from apps.ingest.importer import import_paths

from .seed_files import write

ON_POSTGRESQL = connection.vendor == "postgresql"


def timed_document(number: int) -> str:
    claims = "\n".join(
        f'* Claim {number}.{claim} <a class="yt-timestamp" data-t="00:{claim:02d}:00">'
        f"[00:{claim:02d}:00]</a>"
        for claim in range(12)
    )
    return (
        f"---\ntitle: Episode {number}\nvideoId: Stats{number:06d}\n---\n"
        f"From: [[channel]]\n\n## Part\n\n{claims}\n"
    )


def planner_row_counts(models: list[type]) -> dict[str, float]:
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [tables])
        return dict(cursor.fetchall())


@pytest.mark.skipif(not ON_POSTGRESQL, reason="DATABASE_URL does not point at PostgreSQL")
def test_an_import_leaves_the_planner_the_row_counts_of_what_it_wrote(
    transactional_db, tmp_path: Path
) -> None:
    for number in range(20):
        write(tmp_path, f"episode_{number}.md", timed_document(number))

    assert import_paths([tmp_path]).failed == 0

    models = [Episode, Article, Section, Claim, Timestamp]
    actual = {model._meta.db_table: float(model.objects.count()) for model in models}
    assert actual[Timestamp._meta.db_table] == 240
    assert planner_row_counts(models) == actual
    # And a seek answers from them: the claim spoken at 5:30 in each of the episode's articles.
    answer = Client().get("/api/claims", {"episode": "Stats000007", "at": 330}).json()
    assert [claim["text"] for claim in answer["items"]] == ["Claim 7.5"]

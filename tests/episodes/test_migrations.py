"""The migration that added link keys gives rows already in the database theirs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("episodes", "0002_content_version")]
AFTER = [("episodes", "0003_link_keys")]


@pytest.mark.django_db(transaction=True)
def test_link_keys_migration_backfills_existing_articles_and_links() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    episode = old.get_model("episodes", "Episode").objects.create(video_id="AAAAAAAAAAA")
    article = old.get_model("episodes", "Article").objects.create(
        episode=episode, slug="Black_Holes", title="Black holes", source_path="a.md"
    )
    old.get_model("episodes", "Link").objects.create(
        article=article, target_slug="\u2068black-holes.md\u2069"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    assert new.get_model("episodes", "Article").objects.get().link_key == "blackholes"
    assert new.get_model("episodes", "Link").objects.get().target_key == "blackholes"
    executor = MigrationExecutor(connection)  # a fresh one knows what is applied now
    executor.migrate(executor.loader.graph.leaf_nodes())

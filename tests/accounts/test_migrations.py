"""The migration that keeps username shapes gives accounts made before it theirs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_username_shapes")]


@pytest.mark.django_db(transaction=True)
def test_username_shapes_migration_shapes_existing_accounts() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    users = old.get_model("auth", "User").objects
    users.create(username="\u0430\u0441\u0435")  # "ace" in Cyrillic letters
    users.create(username="bob")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps

    shapes = new.get_model("accounts", "UsernameShape").objects
    assert dict(shapes.values_list("user__username", "shape")) == {
        "\u0430\u0441\u0435": "ace",
        "bob": "bob",
    }
    executor = MigrationExecutor(connection)  # a fresh one knows what is applied now
    executor.migrate(executor.loader.graph.leaf_nodes())

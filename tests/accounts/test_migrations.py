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


@pytest.mark.django_db(transaction=True)
def test_sessions_signed_in_by_djangos_backend_stay_signed_in_by_its_successor() -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    before = [("accounts", "0003_email_verification_and_session_generations")]
    after = [("accounts", "0004_sessions_name_the_account_backend")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    ada = User.objects.create_user("ada", password="a long passphrase 12")
    old = SessionStore()
    old.update(
        {
            SESSION_KEY: str(ada.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: ada.get_session_auth_hash(),
            "place": "12:34",
        }
    )
    old.create()
    other = SessionStore()
    other.update({"place": "1:00"})  # nobody signed in: left as it is
    other.create()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    moved = SessionStore(old.session_key)
    assert moved[BACKEND_SESSION_KEY] == "apps.accounts.backends.AccountBackend"
    assert (moved[SESSION_KEY], moved["place"]) == (str(ada.pk), "12:34")
    assert dict(SessionStore(other.session_key).items()) == {"place": "1:00"}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    client = Client()
    client.cookies["sessionid"] = old.session_key
    assert client.get("/accounts/").context["user"] == ada  # still signed in

    executor = MigrationExecutor(connection)
    executor.migrate(before)  # and back
    back = SessionStore(old.session_key)
    assert back[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

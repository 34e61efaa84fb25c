"""The full-text backend is the one made for the database the connection talks to."""

from __future__ import annotations

from django.db import connection

from apps.search.backends import get_backend

EXPECTED = {
    "sqlite": ("apps.search.backends.sqlite", "SQLiteSearchBackend"),
    "postgresql": ("apps.search.backends.postgresql", "PostgreSQLSearchBackend"),
}


def test_the_backend_matches_the_connections_database_and_is_chosen_once() -> None:
    backend = get_backend()

    assert (type(backend).__module__, type(backend).__name__) == EXPECTED[connection.vendor]
    assert get_backend() is backend

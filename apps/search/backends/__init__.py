"""The database's full-text index behind one small interface (`base.SearchBackend`).

As in wagtail's `search.backends.database`, each database keeps all of its SQL in its own
module, and the backend is chosen once from the default connection, so indexing and queries
read the same whichever database runs.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from apps.search.backends.base import SearchBackend
from apps.search.backends.postgresql import PostgreSQLSearchBackend
from apps.search.backends.sqlite import SQLiteSearchBackend

BACKENDS: dict[str, type[SearchBackend]] = {
    "sqlite": SQLiteSearchBackend,
    "postgresql": PostgreSQLSearchBackend,
}


@functools.cache
def get_backend() -> SearchBackend:
    """The backend for the default database's vendor, made on first use."""
    try:
        backend = BACKENDS[connection.vendor]
    except KeyError:
        raise ImproperlyConfigured(f"Search has no backend for {connection.vendor}.") from None
    return backend()

"""The cache of one process (the default one): Django's local-memory cache, minus a warning.

Django's caches check every key, character by character, for what memcached would refuse
(more than 250 characters, spaces, control characters), and only warn. The site never uses
memcached (its shared cache is Redis, which takes any key), and that check was two thirds
of reading a page's kept note items: 0.12 ms of 0.18 ms for 40 of them (docs/performance.md).
"""

from __future__ import annotations

from django.core.cache.backends.locmem import LocMemCache


class LocalMemoryCache(LocMemCache):
    def validate_key(self, key: str) -> None:
        """Any key will do: nothing is sent to a memcached."""

"""The cache of one process: Django's local-memory cache without memcached's key warnings."""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning

from apps.pages.local_memory import LocalMemoryCache


def test_both_caches_of_a_process_are_this_one_unless_a_shared_one_is_named() -> None:
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return  # the Redis pass: the shared cache replaces both
    assert isinstance(caches["default"], LocalMemoryCache)
    assert isinstance(caches["notes"], LocalMemoryCache)


def test_any_key_is_kept_and_read_back_without_a_warning() -> None:
    cache = LocalMemoryCache("test-local-memory", {})
    key = "note-item:" + "a long key with spaces, and more " * 10 + "\x01"

    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        cache.set(key, ("<li>", "</li>"), 60)
        cache.set_many({"other key": 1}, 60)
        found = cache.get_many([key, "other key", "missing"])

    assert found == {key: ("<li>", "</li>"), "other key": 1}
    assert len(key) > 250

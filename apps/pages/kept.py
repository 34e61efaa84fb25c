"""The episode page's largest kept pieces, read back without copying them on every request.

The configured cache hands back a copy of what it keeps: LocMemCache unpickles it, Redis sends
it and unpickles it. For a megabyte of articles that is a real part of a page. So each process
also holds the few it read last, as they were read, and takes one again only while the cache
still has it (`has_key`: no copy). A piece never outlives its entry in the cache, so clearing
the cache, or a cache that keeps nothing, works as before.

What is kept here is shared by every request of the process: it must never be changed. The
keys are those of pieces whose value follows from the key (a version or a digest in it), so
that any process's entry under a key is as good as another's.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.core.cache import cache

RECENT = 32  # pieces held per process: an episode's pieces, its shells and its notes

_lock = threading.Lock()
_recent: OrderedDict[str, object] = OrderedDict()


def kept_piece(key: str) -> object | None:
    """The piece kept under `key`, or None."""
    return kept_pieces([key]).get(key)


def kept_pieces(keys: list[str]) -> dict[str, object]:
    """The pieces kept under these keys, by key, for those kept."""
    with _lock:
        held = {key: _recent[key] for key in keys if key in _recent}
    found = {key: value for key, value in held.items() if cache.has_key(key)}
    read = cache.get_many([key for key in keys if key not in found])
    for key in keys:
        _hold(key, found.get(key, read.get(key)))
    return {**found, **read}


def keep_piece(key: str, value: object, timeout: int) -> None:
    keep_pieces({key: value}, timeout)


def keep_pieces(values: dict[str, object], timeout: int) -> None:
    cache.set_many(values, timeout)
    for key, value in values.items():
        _hold(key, value)


def _hold(key: str, value: object | None) -> None:
    """Hold `value` as the last read under `key` (None: forget the key)."""
    with _lock:
        if value is None:
            _recent.pop(key, None)
            return
        _recent[key] = value
        _recent.move_to_end(key)
        while len(_recent) > RECENT:
            _recent.popitem(last=False)

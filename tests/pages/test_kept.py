"""Pieces held in the process are read back only while the cache still keeps them."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings

from apps.pages import kept


def test_a_piece_is_read_back_as_it_was_kept_without_a_copy() -> None:
    piece = {"articles": [b"<p>One</p>"]}
    kept.keep_piece("piece:1", piece, 60)

    assert kept.kept_piece("piece:1") is piece
    assert kept.kept_pieces(["piece:1", "piece:2"]) == {"piece:1": piece}
    assert kept.kept_pieces(["piece:1"])["piece:1"] is piece


def test_a_piece_the_cache_no_longer_has_is_not_read_back() -> None:
    kept.keep_piece("piece:1", "first", 60)
    kept.keep_pieces({"piece:2": "second"}, 60)
    cache.clear()

    assert kept.kept_piece("piece:1") is None
    assert kept.kept_pieces(["piece:1", "piece:2"]) == {}
    assert "piece:1" not in kept._recent


def test_a_piece_kept_by_another_process_is_read_from_the_cache_then_held() -> None:
    cache.set("piece:1", ["from elsewhere"], 60)

    first = kept.kept_piece("piece:1")
    assert first == ["from elsewhere"]
    assert kept.kept_piece("piece:1") is first


def test_with_a_cache_that_keeps_nothing_nothing_is_read_back() -> None:
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        kept.keep_piece("piece:1", "first", 60)
        kept.keep_pieces({"piece:2": "second"}, 60)
        assert kept.kept_piece("piece:1") is None
        assert kept.kept_pieces(["piece:1", "piece:2"]) == {}


def test_only_the_last_few_are_held() -> None:
    for number in range(kept.RECENT + 5):
        kept.keep_piece(f"piece:{number}", number, 60)

    assert list(kept._recent) == [f"piece:{n}" for n in range(5, kept.RECENT + 5)]
    assert kept.kept_piece("piece:0") == 0  # still in the cache: read, and held again
    assert list(kept._recent)[-1] == "piece:0"

"""Slugs of titles and channels: punctuation and invisible marks dropped, other scripts kept."""

from __future__ import annotations

from apps.reader.slugs import channel_slug, slugify

from .reading import parse_article


def test_slug_drops_punctuation_and_invisible_marks_and_keeps_other_scripts() -> None:
    article = parse_article("unicode_and_invisible_marks.md")

    assert article.title == "Дом и 文字 — Ünïcode\u200b title"
    assert article.slug == "дом_и_文字_ünïcode_title"


def test_from_line_slug_loses_invisible_marks() -> None:
    article = parse_article("unicode_and_invisible_marks.md")

    assert (article.channel_slug, article.channel_name) == ("channel_name", "Канал")


def test_slugify_drops_punctuation_and_joins_words_with_underscores() -> None:
    assert slugify("AI-driven personalization!") == "aidriven_personalization"


def test_channel_slug_drops_invisible_marks_and_joins_words() -> None:
    assert channel_slug("\u2068Veritasium\u2069 Channel") == "veritasium_channel"
    assert channel_slug(" The  Dwarkesh ") == "the_dwarkesh"


def test_channel_slug_keeps_only_what_a_url_part_may_carry() -> None:
    # A "/" left the channel's URL unbuildable, and every page listing it failed.
    assert channel_slug("bad/slug?x=1") == "badslugx1"
    assert channel_slug("what ? # % ever") == "what_ever"
    assert channel_slug("rtl\u202egnp \u200bx") == "rtlgnp_x"
    assert channel_slug("?/#") == ""
    assert channel_slug("Kuanception-Films_2") == "kuanception-films_2"

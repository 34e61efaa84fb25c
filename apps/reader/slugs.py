"""Titles and link targets to slugs, the way the corpus names its files. Pure: no Django."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidirectional marks, the byte order mark and the soft hyphen: invisible in a
# title or a link target, but they would make two slugs differ.
INVISIBLE_MARKS = re.compile("[\u00ad\u200b-\u200f\u2060-\u2069\ufeff]")


def slugify(title: str) -> str:
    """A title as the corpus names its files: lowercase, punctuation dropped, "_" for spaces."""
    text = INVISIBLE_MARKS.sub("", title).lower()
    text = re.sub(r"[^\w\s]", "", text)
    return re.sub(r"\s+", "_", text)


def channel_slug(value: str) -> str:
    """A channel's slug as From lines, index file names and the directory write it.

    It is a part of the channel's URL, so it keeps only letters, digits, "_" and "-": a "/",
    "?", "#" or "%" written in a From line would otherwise leave the URL unbuildable and every
    page listing the channel failing. Format characters (bidi overrides included) go too.
    """
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"\s+", "_", value)


def link_key(target: str) -> str:
    """What a link target and an article's slug are compared by, to resolve links.

    Writers name one article many ways: `ai_driven_personalization` for the title
    "AI-driven personalization" (whose slug is `aidriven_personalization`), another case, a
    `.md` suffix or a folder in front, invisible marks pasted in. So the key keeps only letters
    and digits, after NFKC and casefolding; every format character (zero-width, bidi, soft
    hyphen, BOM) goes first, whether or not `INVISIBLE_MARKS` lists it.
    """
    text = "".join(ch for ch in target if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = text.split("#", 1)[0].rstrip("/")
    if text.endswith(".md"):
        text = text[:-3].rsplit("/", 1)[-1]
    return "".join(ch for ch in text if ch.isalnum())

"""Titles and link targets to slugs, the way the corpus names its files. Pure: no Django."""

from __future__ import annotations

import re

# Zero-width and bidirectional marks, the byte order mark and the soft hyphen: invisible in a
# title or a link target, but they would make two slugs differ.
INVISIBLE_MARKS = re.compile("[\u00ad\u200b-\u200f\u2060-\u2069\ufeff]")


def slugify(title: str) -> str:
    """A title as the corpus names its files: lowercase, punctuation dropped, "_" for spaces."""
    text = INVISIBLE_MARKS.sub("", title).lower()
    text = re.sub(r"[^\w\s]", "", text)
    return re.sub(r"\s+", "_", text)


def channel_slug(value: str) -> str:
    """A channel's slug as From lines, index file names and the directory write it."""
    value = INVISIBLE_MARKS.sub("", value).strip().lower()
    return re.sub(r"\s+", "_", value)

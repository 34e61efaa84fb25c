"""Seed documents to plain data. Pure: no Django, no database, no I/O beyond the text given.

`parse_document(text, path=...)` reads one document and returns a `ParsedArticle`, a
`ParsedChannelIndex` or a `ParsedDirectory`, or raises `DocumentError` when the file cannot be
imported at all. Everything it cannot understand inside a readable document becomes a
`ParseWarning` (with its 1-based line in the file) and is skipped.

The work is shared out: `front_matter` reads the `---` block and tells articles (with a
videoId) from pages; `articles` makes sections and claims of an article's body, whose block
structure `blocks` reads line by line (after `cleanup` repairs it); `inline` renders each
block to a claim's label, text and safe HTML, with `timestamps` finding timestamps in every
form the documents use, `markdown` rendering the rest and `segments` cutting it at the
timestamps; `index_pages` reads channel indexes and directories. The results are the
dataclasses of `parsed`. Where the format leaves a choice, this reader takes the following
one (the tests in tests/reader/ hold each to an example):

- A heading that carries a timestamp keeps its words as the section title; the timestamp
  becomes the section's first claim (a paragraph with the heading's words), so no moment is
  lost and the section can be played from its start.
- A range ([12:34-15:00], data-t="00:15:11]-[00:15:24]") gives two timestamps, start and end,
  sharing one segment; so do lists ([00:29:28, 00:30:31]) and timestamps glued together.
  Unbracketed times (a clock time such as 3:25 p.m.) stay text.
- A table's body rows are paragraph claims, cells joined with " — "; the header row only
  names the columns and becomes a claim only if it holds a timestamp.
- A callout's title (> [!info] Title) becomes the label of its first claim; it is a claim of
  its own when that claim has a label already, when it holds a link or a timestamp, or when
  the callout has no body. Paragraphs in quotes and callouts are "quote" claims, list items
  in them stay "item" claims. A ```ad-note fence reads as a callout.
- Code fences and $$ TeX blocks are kept as one paragraph claim of escaped code, with their
  timestamps; a fence that never closes is ignored (with a warning) instead of swallowing the
  rest of the document. A ```markdown fence is a generator's leak: it is removed, its inside
  read as the document.
- Raw HTML blocks are reduced to their text (each tag's line a block of its own); <script>,
  <style> and comments are skipped with a warning.
"""

from __future__ import annotations

from apps.reader.articles import parse_article
from apps.reader.front_matter import check_video_id, read_front_matter
from apps.reader.index_pages import parse_page
from apps.reader.parsed import (
    DocumentError,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedDirectory,
    ParseWarning,
)

PARSER_VERSION = 1


def parse_document(text: str, *, path: str) -> ParsedArticle | ParsedChannelIndex | ParsedDirectory:
    """Read one seed document; `path` names it in messages and gives index pages their slug."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.removeprefix("\ufeff").split("\n")
    warnings: list[ParseWarning] = []
    front_matter, opening_line, body_start = read_front_matter(lines, warnings)
    title_entry = front_matter.get("title")
    if title_entry is None or not title_entry[0]:
        line = title_entry[1] if title_entry else opening_line
        raise DocumentError("the front matter has no title", line)
    title = title_entry[0]
    body = [(number, lines[number - 1]) for number in range(body_start, len(lines) + 1)]
    video_id_entry = front_matter.get("videoid") or front_matter.get("video_id")
    if video_id_entry is None:
        return parse_page(title, body, path, warnings)
    video_id = check_video_id(*video_id_entry)
    return parse_article(title, video_id, body, warnings)

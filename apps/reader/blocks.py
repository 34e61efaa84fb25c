"""The block structure of a document body, read line by line. Pure: no Django.

`read_blocks` turns numbered lines into headings and a tree of blocks (list items with their
nested items, paragraphs, quotes, code) without looking inside them: `inline.py`
renders each block's text, `parsing.py` makes claims and sections of them. Reading lines
ourselves keeps every block's original line numbers and is much faster than a full
CommonMark parser; the generated documents use a small, regular part of Markdown.

The reader is forgiving where the documents are sloppy: list items nest by indentation
alone, a line that follows a list item without a blank line continues it, raw HTML is
reduced to its text (`cleanup.py`), and a code fence that is never closed is ignored rather
than swallowing the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

from apps.reader.cleanup import reduce_html, unwrap_markdown_fences
from apps.reader.syntax import (
    ADMONITION_TITLE,
    CALLOUT,
    FENCE,
    HEADING,
    LIST_ITEM,
    RULE,
    TABLE_SEPARATOR,
    Line,
)
from apps.reader.tables import table_rows

_LINE_STARTING_WITH_TAG = re.compile(r"\n[ \t]*<[A-Za-z/!]")  # searched in "\n" + text


@dataclass(slots=True)
class Block:
    """One claim-to-be: its kind and its source lines, with nested blocks."""

    kind: str  # "item" | "paragraph" | "quote" | "code" | "row"
    lines: list[Line]
    line: int
    children: list[Block] = field(default_factory=list)
    callout_title: Line | None = None  # the title of the callout this block opens
    quoted: bool = False  # inside a blockquote or callout


@dataclass(slots=True)
class Heading:
    """An ATX heading (# to ######): its level and its text, inline Markdown not yet read."""

    level: int
    text: str
    line: int


@dataclass(slots=True)
class Reading:
    """What `read_blocks` found, in document order, and what it could not use."""

    events: list[Heading | Block] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def read_blocks(lines: list[Line]) -> Reading:
    """Read a document body into headings and top-level blocks (nested blocks inside)."""
    reading = Reading()
    # Both clean-ups are rare: look for their traces in the whole text first.
    whole = "\n".join(map(itemgetter(1), lines))
    if "`markdown" in whole or "`md" in whole or "~~~" in whole:
        lines = unwrap_markdown_fences(lines, reading.warnings)
    if _LINE_STARTING_WITH_TAG.search("\n" + whole):
        lines = reduce_html(lines, reading.warnings)
    _Reader(lines, reading, quoted=False).run(reading.events)
    return reading


def _starts_block(stripped: str) -> bool:
    return bool(
        HEADING.match(stripped)
        or FENCE.match(stripped)
        or LIST_ITEM.match(stripped)
        or RULE.match(stripped)
        or stripped.startswith((">", "$$"))
    )


class _Reader:
    """One pass over numbered lines; recursion for the inside of quotes and callouts."""

    def __init__(self, lines: list[Line], reading: Reading, *, quoted: bool) -> None:
        self.lines = lines
        self.reading = reading
        self.quoted = quoted
        self.events: list[Heading | Block] = []
        self.open_items: list[tuple[int, Block]] = []  # (marker indent, item) innermost last
        self.pending: list[Line] = []
        self.pending_item_indent: int | None = None
        self.pending_indent = 0

    def run(self, events: list[Heading | Block]) -> None:
        self.events = events
        lines = self.lines
        index = 0
        while index < len(lines):
            number, raw = lines[index]
            # The two most common lines take a short way: blank ones, and paragraph text
            # starting with a letter (no block starts with one; a "|" may make a table).
            if not raw or raw.isspace():
                if self.pending:
                    self.flush()
                index += 1
            elif raw[0].isalpha() and "|" not in raw:
                if self.pending:
                    self.pending.append((number, raw.rstrip()))
                else:
                    self.pending = [(number, raw.rstrip())]
                    self.pending_item_indent = None
                    self.pending_indent = 0
                index += 1
            else:
                index = self.read_line(index)
        self.flush()

    def warn(self, line: int, message: str) -> None:
        self.reading.warnings.append((line, message))

    def read_line(self, index: int) -> int:
        number, raw = self.lines[index]
        text = raw.expandtabs(4) if "\t" in raw else raw
        stripped = text.lstrip()
        indent = len(text) - len(stripped)
        if not stripped:
            self.flush()
            return index + 1
        stripped = stripped.rstrip()
        first = stripped[0]
        if first in "`~" and (fence := FENCE.match(stripped)):
            self.flush()
            return self.read_fence(index, indent, fence)
        if first == "$" and stripped.startswith("$$"):
            self.flush()
            return self.read_tex(index, indent)
        if first == "#" and indent <= 3 and (heading := HEADING.match(stripped)):
            self.flush()
            self.read_heading(number, indent, heading)
            return index + 1
        if first in "*-_" and indent <= 3 and RULE.match(stripped):
            self.flush()
            self.open_items.clear()
            return index + 1
        if first == ">":
            self.flush()
            return self.read_quote(index, indent)
        return self.read_text(index, stripped, indent)

    def read_heading(self, number: int, indent: int, heading: re.Match) -> None:
        if self.quoted:
            # A heading inside a quote has no section to open: keep its words.
            self.attach(Block("quote", [(number, heading.group(2) or "")], number), indent)
        else:
            self.open_items.clear()
            self.events.append(Heading(len(heading.group(1)), heading.group(2) or "", number))

    def read_text(self, index: int, stripped: str, indent: int) -> int:
        """A list item, a table, or a line of a paragraph (or of the list item above it)."""
        number = self.lines[index][0]
        first = stripped[0]
        if (first in "*-+" or first.isdigit()) and (item := LIST_ITEM.match(stripped)):
            self.flush()
            self.start_pending((number, stripped[item.end() :]), indent, item_indent=indent)
            return index + 1
        if "|" in stripped and index + 1 < len(self.lines):
            separator = self.lines[index + 1][1].strip()
            if "-" in separator and "|" in separator and TABLE_SEPARATOR.match(separator):
                self.flush()
                return self.read_table(index, indent)
        if self.pending:
            # A paragraph line, or a lazy line that continues the list item above it.
            self.pending.append((number, stripped))
        else:
            self.start_pending((number, stripped), indent)
        return index + 1

    def start_pending(self, line: Line, indent: int, *, item_indent: int | None = None) -> None:
        """Open the block the next lines may continue: a paragraph, or a list item."""
        self.pending = [line]
        self.pending_item_indent = item_indent
        self.pending_indent = indent

    # Blocks

    def flush(self) -> None:
        if not self.pending:
            return
        lines, self.pending = self.pending, []
        if self.pending_item_indent is not None:
            block = Block("item", lines, lines[0][0], quoted=self.quoted)
            self.attach(block, self.pending_item_indent, is_item=True)
            self.pending_item_indent = None
        else:
            kind = "quote" if self.quoted else "paragraph"
            self.attach(Block(kind, lines, lines[0][0], quoted=self.quoted), self.pending_indent)

    def attach(self, block: Block, indent: int, *, is_item: bool = False) -> None:
        """Nest a block under the innermost open list item it is indented under."""
        while self.open_items and self.open_items[-1][0] >= indent:
            self.open_items.pop()
        if self.open_items:
            self.open_items[-1][1].children.append(block)
        else:
            self.events.append(block)
        if is_item:
            self.open_items.append((indent, block))

    def read_fence(self, index: int, indent: int, fence: re.Match) -> int:
        number = self.lines[index][0]
        marker, info = fence.group(1), fence.group(2).strip()
        closing = None
        for candidate in range(index + 1, len(self.lines)):
            stripped = self.lines[candidate][1].strip()
            if (
                stripped.startswith(marker)
                and not stripped.strip(marker[0])
                and (len(stripped) >= len(marker))
            ):
                closing = candidate
                break
        if closing is None:
            self.warn(number, "unclosed code fence ignored")
            return index + 1
        content = [(line, _dedent(text, indent)) for line, text in self.lines[index + 1 : closing]]
        if info.lower().startswith("ad-"):
            # An Obsidian admonition (```ad-note): a callout written as a fence.
            title = None
            first = next((i for i, (_, text) in enumerate(content) if text.strip()), None)
            if first is not None and (match := ADMONITION_TITLE.match(content[first][1].strip())):
                title = (content[first][0], match.group(1))
                content[first] = (content[first][0], "")
            self.read_quoted(content, title, indent)
        elif any(text.strip() for _, text in content):
            while content and not content[-1][1].strip():
                content.pop()
            while content and not content[0][1].strip():
                content.pop(0)
            self.attach(Block("code", content, number, quoted=self.quoted), indent)
        return closing + 1

    def read_tex(self, index: int, indent: int) -> int:
        number, text = self.lines[index]
        stripped = text.strip()
        if len(stripped) > 4 and stripped.endswith("$$"):
            self.attach(Block("code", [(number, stripped[2:-2].strip())], number), indent)
            return index + 1
        for closing in range(index + 1, len(self.lines)):
            if "$$" in self.lines[closing][1]:
                content = [(number, stripped[2:].strip())]
                content += self.lines[index + 1 : closing]
                last_number, last_text = self.lines[closing]
                content.append((last_number, last_text.replace("$$", "").strip()))
                content = [(line, part) for line, part in content if part.strip()]
                if content:
                    self.attach(Block("code", content, number, quoted=self.quoted), indent)
                return closing + 1
        # A "$$" that never closes is ordinary text.
        self.start_pending((number, stripped), indent)
        return index + 1

    def read_quote(self, index: int, indent: int) -> int:
        inner: list[Line] = []
        cursor = index
        while cursor < len(self.lines):
            number, raw = self.lines[cursor]
            stripped = raw.strip()
            if stripped.startswith(">"):
                content = stripped[1:]
                inner.append((number, content[1:] if content[:1] in (" ", "\t") else content))
            elif stripped and inner and inner[-1][1].strip() and not _starts_block(stripped):
                inner.append((number, stripped))  # a lazy continuation of the quote
            else:
                break
            cursor += 1
        title = None
        first_text = inner[0][1].strip()
        if first_text.startswith("[!") and (callout := CALLOUT.match(first_text)):
            title = (inner[0][0], callout.group(2))
            inner[0] = (inner[0][0], "")
        self.read_quoted(inner, title, indent)
        return cursor

    def read_quoted(self, inner: list[Line], title: Line | None, indent: int) -> None:
        nested: list[Heading | Block] = []
        _Reader(inner, self.reading, quoted=True).run(nested)
        blocks = [event for event in nested if isinstance(event, Block)]
        if title is not None and title[1].strip():
            if blocks:
                blocks[0].callout_title = title
            else:
                blocks.append(Block("quote", [title], title[0], quoted=True))
        for block in blocks:
            self.attach(block, indent)

    def read_table(self, index: int, indent: int) -> int:
        rows, end = table_rows(self.lines, index)
        for number, text in rows:
            row = Block("row", [(number, text)], number, quoted=self.quoted)
            self.attach(row, indent)
        return end


def _dedent(text: str, indent: int) -> str:
    stripped = text.lstrip(" ")
    return text[min(indent, len(text) - len(stripped)) :]

"""The block structure of a document body, read line by line. Pure: no Django.

`read_blocks` turns numbered lines into headings and a tree of blocks (list items with their
nested items, paragraphs, quotes, code) without looking inside them: `markdown_inline.py`
renders each block's text, `parsing.py` makes claims and sections of them. Reading lines
ourselves keeps every block's original line numbers and is much faster than a full
CommonMark parser; the generated documents use a small, regular part of Markdown.

The reader is forgiving where the documents are sloppy: list items nest by indentation
alone, a line that follows a list item without a blank line continues it, raw HTML is
reduced to its text, and a code fence that is never closed is ignored rather than swallowing
the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

Line = tuple[int, str]  # (1-based line number in the original file, text)

_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*([^`]*?)[ \t]*$")
_HEADING = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_TABLE_SEPARATOR = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_CALLOUT = re.compile(r"\[!([\w-]+)\][-+]?[ \t]*(.*)$")
_ADMONITION_TITLE = re.compile(r"title:[ \t]*(.*)$", re.I)
_MARKDOWN_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(?:markdown|md)[ \t]*$", re.I)

# fmt: off
_HTML_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "audio", "base", "blockquote", "body", "br", "canvas",
    "caption", "center", "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt",
    "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "iframe", "img", "legend", "li",
    "link", "main", "menu", "meta", "nav", "noscript", "object", "ol", "optgroup", "option", "p",
    "param", "path", "picture", "pre", "script", "search", "section", "source", "style",
    "summary", "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
    "title", "tr", "track", "ul", "use", "video",
})
# fmt: on
_SKIPPED_WITH_CONTENT = frozenset({"script", "style", "template", "textarea"})
_HTML_BLOCK_START = re.compile(r"<(/?)([A-Za-z][\w-]*)|<!--")
_LINE_STARTING_WITH_TAG = re.compile(r"\n[ \t]*<[A-Za-z/!]")  # searched in "\n" + text
_BLOCK_TAG = re.compile(r"</?([A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--.*?-->")


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
        lines = _unwrap_markdown_fences(lines, reading)
    if _LINE_STARTING_WITH_TAG.search("\n" + whole):
        lines = _reduce_html(lines, reading)
    _Reader(lines, reading, quoted=False).run(reading.events)
    return reading


def _unwrap_markdown_fences(lines: list[Line], reading: Reading) -> list[Line]:
    """Blank the ```markdown fences a generator wrapped around (part of) the body."""
    lines = list(lines)
    index = 0
    while index < len(lines):
        number, text = lines[index]
        if not _MARKDOWN_FENCE.match(text.strip()):
            index += 1
            continue
        lines[index] = (number, "")
        closing = _closing_of_wrapper(lines, index + 1, text.strip()[0])
        if closing is None:
            reading.warnings.append((number, "leaked ```markdown fence (never closed) removed"))
        else:
            lines[closing] = (lines[closing][0], "")
            reading.warnings.append((number, "leaked ```markdown fence around the body removed"))
        index += 1
    return lines


def _closing_of_wrapper(lines: list[Line], start: int, fence_character: str) -> int | None:
    # Fences with an info string open an inner block; a bare fence closes the inner block
    # when one is open, and the wrapper otherwise.
    inner_open = False
    for index in range(start, len(lines)):
        match = _FENCE.match(lines[index][1].strip())
        if match is None or match.group(1)[0] != fence_character:
            continue
        if inner_open:
            inner_open = bool(match.group(2))
        elif match.group(2):
            inner_open = True
        else:
            return index
    return None


def _reduce_html(lines: list[Line], reading: Reading) -> list[Line]:
    """Reduce lines of raw HTML blocks to their text, each as a block of its own.

    Inline tags (<a>, <span>, <strong> ...) stay for the inline renderer, which keeps the
    timestamp links among them and reduces the others to their text.
    """
    reduced: list[Line] = []
    in_region = False  # inside an HTML block: until the next blank line
    fence: str | None = None
    skipping: str | None = None  # the closing tag or "-->" that ends skipped content
    for number, text in lines:
        stripped = text.strip()
        if skipping is not None:
            if skipping in stripped.lower():
                skipping = None
            reduced.append((number, ""))
            continue
        fence_match = _FENCE.match(stripped)
        if fence_match and (fence is None or not fence_match.group(2)):
            marker = fence_match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            reduced.append((number, text))
            continue
        if fence is not None or not stripped:
            in_region = in_region and fence is None and bool(stripped)
            reduced.append((number, text))
            continue
        start = _HTML_BLOCK_START.match(stripped)
        name = start.group(2) if start and start.group(2) else ""
        is_block = start is not None and (
            not name or name.lower() in _HTML_BLOCK_TAGS or name[0].isupper()
        )
        if not is_block:
            if in_region and text[:1] in " \t" and _HEADING.match(stripped):
                # Indented "#" lines inside raw HTML are text there, not headings.
                heading = _HEADING.match(stripped)
                reduced.extend([(number, ""), (number, heading.group(2) or ""), (number, "")])
            else:
                reduced.append((number, text))
            continue
        lowered = name.lower()
        if not name:
            if "-->" not in stripped:
                skipping = "-->"
            reading.warnings.append((number, "HTML comment skipped"))
            reduced.append((number, ""))
            continue
        if lowered in _SKIPPED_WITH_CONTENT:
            if f"</{lowered}" not in stripped.lower():
                skipping = f"</{lowered}"
            reading.warnings.append((number, f"raw HTML <{lowered}> skipped"))
            reduced.append((number, ""))
            continue
        if not in_region and lowered not in {"br", "hr"}:
            reading.warnings.append((number, f"raw HTML <{lowered}> reduced to its text"))
        in_region = lowered not in {"br", "hr"}
        remainder = _COMMENT.sub("", stripped) if "<!--" in stripped else stripped
        remainder = _BLOCK_TAG.sub(_drop_block_tag, remainder).strip()
        reduced.append((number, ""))
        if remainder:
            reduced.extend([(number, remainder), (number, "")])
    return reduced


def _drop_block_tag(match: re.Match) -> str:
    name = match.group(1)
    if name.lower() in _HTML_BLOCK_TAGS or name[0].isupper():
        return " "
    return match.group(0)


def _starts_block(stripped: str) -> bool:
    return bool(
        _HEADING.match(stripped)
        or _FENCE.match(stripped)
        or _LIST_ITEM.match(stripped)
        or _RULE.match(stripped)
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
        if first in "`~" and (fence := _FENCE.match(stripped)):
            self.flush()
            return self.read_fence(index, indent, fence)
        if first == "$" and stripped.startswith("$$"):
            self.flush()
            return self.read_tex(index, indent)
        if first == "#" and indent <= 3 and (heading := _HEADING.match(stripped)):
            self.flush()
            if self.quoted:
                # A heading inside a quote has no section to open: keep its words.
                self.attach(Block("quote", [(number, heading.group(2) or "")], number), indent)
            else:
                self.open_items.clear()
                self.events.append(Heading(len(heading.group(1)), heading.group(2) or "", number))
            return index + 1
        if first in "*-_" and indent <= 3 and _RULE.match(stripped):
            self.flush()
            self.open_items.clear()
            return index + 1
        if first == ">":
            self.flush()
            return self.read_quote(index, indent)
        if (first in "*-+" or first.isdigit()) and (item := _LIST_ITEM.match(stripped)):
            self.flush()
            self.pending = [(number, stripped[item.end() :])]
            self.pending_item_indent = indent
            self.pending_indent = indent
            return index + 1
        if "|" in stripped and index + 1 < len(self.lines):
            separator = self.lines[index + 1][1].strip()
            if "-" in separator and "|" in separator and _TABLE_SEPARATOR.match(separator):
                self.flush()
                return self.read_table(index, indent)
        if self.pending:
            # A paragraph line, or a lazy line that continues the list item above it.
            self.pending.append((number, stripped))
        else:
            self.pending = [(number, stripped)]
            self.pending_item_indent = None
            self.pending_indent = indent
        return index + 1

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
            if first is not None and (match := _ADMONITION_TITLE.match(content[first][1].strip())):
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
        self.pending = [(number, stripped)]
        self.pending_item_indent = None
        self.pending_indent = indent
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
        if first_text.startswith("[!") and (callout := _CALLOUT.match(first_text)):
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
        header_number, header = self.lines[index]
        cursor = index + 2
        rows: list[Line] = []
        while cursor < len(self.lines):
            number, text = self.lines[cursor]
            if not text.strip() or "|" not in text:
                break
            rows.append((number, text))
            cursor += 1
        header_cells = split_cells(header)
        # The header row only names the columns; it becomes a claim only to keep a timestamp.
        if any(":" in cell and ("[" in cell or "<a" in cell) for cell in header_cells):
            rows.insert(0, (header_number, header))
        for number, text in rows:
            cells = [cell for cell in split_cells(text) if cell]
            if cells:
                row = Block("row", [(number, " — ".join(cells))], number, quoted=self.quoted)
                self.attach(row, indent)
        return cursor


def split_cells(row: str) -> list[str]:
    """The cells of a table row; pipes inside wiki links, code and escapes do not split."""
    protected: list[str] = []

    def protect(match: re.Match) -> str:
        protected.append(match.group(0))
        return f"\ue003{len(protected) - 1}\ue004"

    text = row.strip()
    if "[[" in text or "`" in text or "\\|" in text:
        text = re.sub(r"\[\[[^\]]*\]\]|`[^`]*`|\\\|", protect, text)
    text = text.removeprefix("|").removesuffix("|")
    cells = []
    for cell in text.split("|"):
        if "\ue003" in cell:
            cell = re.sub("\ue003(\\d+)\ue004", lambda m: protected[int(m.group(1))], cell)
        cells.append(cell.replace("\\|", "|").strip())
    return cells


def _dedent(text: str, indent: int) -> str:
    stripped = text.lstrip(" ")
    return text[min(indent, len(text) - len(stripped)) :]

"""Two repairs of a document body before its blocks are read. Pure: no Django.

A generator sometimes wrapped (part of) the body in a ```markdown fence, which would make it
one code block: the fence lines are blanked. Raw HTML blocks are reduced to their text, each
tag's line a block of its own, and <script>, <style> and comments are skipped. Both keep the
number of every line, and report what they did as (line, message) warnings.
"""

from __future__ import annotations

import re

from apps.reader.syntax import FENCE, HEADING, MARKDOWN_FENCE, Line

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
_LINE_BREAKS = frozenset({"br", "hr"})
_HTML_BLOCK_START = re.compile(r"<(/?)([A-Za-z][\w-]*)|<!--")
_BLOCK_TAG = re.compile(r"</?([A-Za-z][\w-]*)(?:\s[^<>]*)?/?>")
_COMMENT = re.compile(r"<!--.*?-->")

Warnings = list[tuple[int, str]]


def unwrap_markdown_fences(lines: list[Line], warnings: Warnings) -> list[Line]:
    """Blank the ```markdown fences a generator wrapped around (part of) the body."""
    lines = list(lines)
    index = 0
    while index < len(lines):
        number, text = lines[index]
        if not MARKDOWN_FENCE.match(text.strip()):
            index += 1
            continue
        lines[index] = (number, "")
        closing = _closing_of_wrapper(lines, index + 1, text.strip()[0])
        if closing is None:
            warnings.append((number, "leaked ```markdown fence (never closed) removed"))
        else:
            lines[closing] = (lines[closing][0], "")
            warnings.append((number, "leaked ```markdown fence around the body removed"))
        index += 1
    return lines


def _closing_of_wrapper(lines: list[Line], start: int, fence_character: str) -> int | None:
    # Fences with an info string open an inner block; a bare fence closes the inner block
    # when one is open, and the wrapper otherwise.
    inner_open = False
    for index in range(start, len(lines)):
        match = FENCE.match(lines[index][1].strip())
        if match is None or match.group(1)[0] != fence_character:
            continue
        if inner_open:
            inner_open = bool(match.group(2))
        elif match.group(2):
            inner_open = True
        else:
            return index
    return None


def reduce_html(lines: list[Line], warnings: Warnings) -> list[Line]:
    """Reduce lines of raw HTML blocks to their text, each as a block of its own.

    Inline tags (<a>, <span>, <strong> ...) stay for the inline renderer, which keeps the
    timestamp links among them and reduces the others to their text.
    """
    reducer = _HtmlReducer(warnings)
    for number, text in lines:
        reducer.read(number, text)
    return reducer.reduced


class _HtmlReducer:
    """One pass over the lines, with what the lines before have opened."""

    __slots__ = ("fence", "in_region", "reduced", "skipping", "warnings")

    def __init__(self, warnings: Warnings) -> None:
        self.warnings = warnings
        self.reduced: list[Line] = []
        self.in_region = False  # inside an HTML block: until the next blank line
        self.fence: str | None = None  # the marker of the code fence open
        self.skipping: str | None = None  # the closing tag or "-->" that ends skipped content

    def read(self, number: int, text: str) -> None:
        stripped = text.strip()
        if self.skipping is not None:
            if self.skipping in stripped.lower():
                self.skipping = None
            self.reduced.append((number, ""))
            return
        if self.kept_as_written(stripped):
            self.reduced.append((number, text))
            return
        start = _HTML_BLOCK_START.match(stripped)
        name = start.group(2) if start and start.group(2) else ""
        if start is None or not (not name or name.lower() in _HTML_BLOCK_TAGS or name[0].isupper()):
            self.read_text(number, text, stripped)
        elif not name:
            self.read_comment(number, stripped)
        elif name.lower() in _SKIPPED_WITH_CONTENT:
            self.read_skipped_element(number, stripped, name.lower())
        else:
            self.read_block_tag(number, stripped, name.lower())

    def kept_as_written(self, stripped: str) -> bool:
        """Code fences and what they hold stay as written, and so do blank lines, which end
        an HTML block."""
        fence_match = FENCE.match(stripped)
        if fence_match and (self.fence is None or not fence_match.group(2)):
            marker = fence_match.group(1)
            if self.fence is None:
                self.fence = marker
            elif marker[0] == self.fence[0] and len(marker) >= len(self.fence):
                self.fence = None
            return True
        if self.fence is not None or not stripped:
            self.in_region = False
            return True
        return False

    def read_text(self, number: int, text: str, stripped: str) -> None:
        heading = HEADING.match(stripped) if self.in_region and text[:1] in " \t" else None
        if heading is not None:
            # Indented "#" lines inside raw HTML are text there, not headings.
            self.reduced.extend([(number, ""), (number, heading.group(2) or ""), (number, "")])
        else:
            self.reduced.append((number, text))

    def read_comment(self, number: int, stripped: str) -> None:
        if "-->" not in stripped:
            self.skipping = "-->"
        self.warnings.append((number, "HTML comment skipped"))
        self.reduced.append((number, ""))

    def read_skipped_element(self, number: int, stripped: str, name: str) -> None:
        if f"</{name}" not in stripped.lower():
            self.skipping = f"</{name}"
        self.warnings.append((number, f"raw HTML <{name}> skipped"))
        self.reduced.append((number, ""))

    def read_block_tag(self, number: int, stripped: str, name: str) -> None:
        """A line opening or closing an HTML block: its text, between blank lines."""
        if not self.in_region and name not in _LINE_BREAKS:
            self.warnings.append((number, f"raw HTML <{name}> reduced to its text"))
        self.in_region = name not in _LINE_BREAKS
        remainder = _COMMENT.sub("", stripped) if "<!--" in stripped else stripped
        remainder = _BLOCK_TAG.sub(_drop_block_tag, remainder).strip()
        self.reduced.append((number, ""))
        if remainder:
            self.reduced.extend([(number, remainder), (number, "")])


def _drop_block_tag(match: re.Match) -> str:
    name = match.group(1)
    if name.lower() in _HTML_BLOCK_TAGS or name[0].isupper():
        return " "
    return match.group(0)

"""Inline Markdown to HTML, with raw HTML reduced to its text. Pure: no Django.

The generated documents only use bold, italics, code, strikethrough, links and wiki links, so a
small regex renderer reads them (a hand-written renderer reads them several times faster than
a CommonMark one). Each rule is one method of `_Renderer`: what a rule has rendered is stashed
behind a numbered stand-in, so the later rules leave it alone, and put back at the end. The
output is not yet safe: `inline.render_claim` passes it through nh3.
"""

from __future__ import annotations

import html
import itertools
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from apps.reader.slugs import slugify
from apps.reader.timestamps import shorten

if TYPE_CHECKING:
    from apps.reader.inline import InlineContext

# Stand-ins that no document contains (private use area): a pair around the number of a
# fragment already rendered, so later passes leave it alone (`timestamps.MARKER`, one per
# timestamp, is another).
_STASH_OPEN = "\ue001"
_STASH_CLOSE = "\ue002"
_STASHED = re.compile(f"{_STASH_OPEN}(\\d+){_STASH_CLOSE}")
# Numbers are unique across nested renderings (link text is rendered by a nested one): each
# rendering restores only its own and leaves the caller's for the caller to restore.
_stash_numbers = itertools.count()

_SIMPLE_SLUG = re.compile(r"[a-z0-9_]+")
MARKDOWN_SPECIAL = re.compile(r"[`\\\[\]*_~<&]")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WIKILINK = re.compile(r"\[\[([^\[\]\n]+?)\]\]")
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\(([^()\n]*)\)")
# "\ue000" below is `MARKER`: a timestamp never counts as part of a URL or of a dropped tag.
_LINK = re.compile(
    r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*<?([^\s<>()\ue000]*(?:\([^\s<>()\ue000]*\)[^\s<>()\ue000]*)*)>?"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_AUTOLINK = re.compile(r"<(https?://[^\s<>\ue000]+)>", re.I)
_COMMENT = re.compile(r"<!--(?:(?!\ue000).)*?(?:-->|$)", re.S)
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.I)
_RAW_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\ue000]*)?/?>")
_EXTERNAL_URL = re.compile(r"(?:https?:|mailto:)", re.I)
_SLUG_AS_HOST = re.compile(r"https?://([a-z0-9_]*_[a-z0-9_]*)/?$", re.I)
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)

# Each pattern starts with its delimiter and looks behind it only then: a pattern that starts
# with a look-behind makes the regex engine try it at every character.
_STRONG_EMPHASIS = re.compile(r"\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*", re.S)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_STRONG_UNDERSCORE = re.compile(r"__(?<!\w__)(?=\S)(.+?)(?<=\S)__(?!\w)", re.S)
_EMPHASIS = re.compile(r"\*(?<![\w*]\*)(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])", re.S)
_EMPHASIS_UNDERSCORE = re.compile(r"_(?<!\w_)(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)", re.S)
_STRIKETHROUGH = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.S)

_ANY_TAG = re.compile(r"<[^<>]*>")


class LineMap:
    """Which document line a position in a block's text stands on.

    `numbers` are the block's line numbers; `newlines_before` counts the line breaks of the
    block that precede the text (a label taken off its front). A map of one number names that
    line wherever the position is.
    """

    __slots__ = ("last", "newlines_before", "numbers")

    def __init__(self, numbers: list[int], newlines_before: int = 0) -> None:
        self.numbers = numbers
        self.newlines_before = newlines_before
        self.last = len(numbers) - 1

    def line_at(self, text: str, position: int) -> int:
        if not self.last:
            return self.numbers[0]
        line = self.newlines_before + text.count("\n", 0, position)
        return self.numbers[min(line, self.last)]


# Fragments rendered outside a document (a callout title, a channel name) have no lines.
_NO_LINES = LineMap([0])


def render_markdown(
    text: str, context: InlineContext | None = None, lines: LineMap = _NO_LINES
) -> str:
    """Inline Markdown to HTML; raw HTML is reduced to its text; markers pass through.

    `lines` names the document line of a position in `text` as it stands when links are read,
    for the links and warnings recorded in `context`.
    """
    if not MARKDOWN_SPECIAL.search(text):
        return html.escape(text, quote=False)
    return _Renderer(context, lines).render(text)


def render_label(source: str) -> str:
    """Plain text of a short inline fragment such as a callout title."""
    return plain_text(render_markdown(source))


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    if _STASH_OPEN in fragment:
        # A caller's markers, left in a nested rendering: they never belong in plain text.
        fragment = _STASHED.sub("", fragment)
    if "<" in fragment:
        fragment = _ANY_TAG.sub("", fragment.replace("<br>", " "))
    if "&" in fragment:
        fragment = html.unescape(fragment)
    return collapse_whitespace(fragment)


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace to one space, ends trimmed."""
    # Cheap tests first: splitting every text into words is the slow part.
    if "  " in text or "\n" in text or "\t" in text or "\xa0" in text:
        return " ".join(text.split())
    return text.strip()


class _Renderer:
    """One rendering of one fragment: the rules in the order they apply, and the stash."""

    __slots__ = ("context", "current", "lines", "stash")

    def __init__(self, context: InlineContext | None, lines: LineMap) -> None:
        self.context = context
        self.lines = lines
        self.stash: dict[int, str] = {}
        self.current = ""  # the text as it stood before the rule now applying

    def render(self, text: str) -> str:
        if "`" in text:
            text = _CODE_SPAN.sub(self.code_span, text)
        if "\\" in text:
            text = _BACKSLASH_ESCAPE.sub(self.escaped, text)
        if "[[" in text:
            self.current = text
            text = _WIKILINK.sub(self.wikilink, text)
        if "](" in text:
            if "![" in text:
                self.current = text
                text = _IMAGE.sub(self.image, text)
            self.current = text
            text = _LINK.sub(self.link, text)
        if "<" in text:
            text = self.reduce_tags(text)
        if "&" in text:
            text = html.unescape(text)
        return self.restore(_emphasis(html.escape(text, quote=False)))

    def keep(self, fragment: str, replaced: str = "") -> str:
        number = next(_stash_numbers)
        self.stash[number] = fragment
        # Line breaks inside what is stashed stay outside it, so line numbers still add up.
        return f"{_STASH_OPEN}{number}{_STASH_CLOSE}" + "\n" * replaced.count("\n")

    def line(self, position: int) -> int:
        return self.lines.line_at(self.current, position)

    def code_span(self, match: re.Match) -> str:
        content = match.group(2).strip() or match.group(2)
        if _WIKILINK.fullmatch(content):
            return content  # a wiki link the generator wrapped in backticks by mistake
        return self.keep(f"<code>{html.escape(content, quote=False)}</code>", match.group(0))

    def escaped(self, match: re.Match) -> str:
        return self.keep(html.escape(match.group(1), quote=False))

    def wikilink(self, match: re.Match) -> str:
        target, separator, shown = match.group(1).partition("|")
        target = target.strip().rstrip("\\").strip()
        shown = shown.strip() if separator else target
        if MARKDOWN_SPECIAL.search(shown):
            inner = render_markdown(shown, self.context, LineMap([self.line(match.start())]))
            shown_text = plain_text(inner)
        else:
            inner = html.escape(shown, quote=False)
            shown_text = collapse_whitespace(shown)
        slug = target if _SIMPLE_SLUG.fullmatch(target) else slugify(_page_name(target))
        if not slug:
            return self.keep(inner)
        if self.context is not None:
            self.context.links.append((slug, shown_text, self.line(match.start())))
        return self.keep(
            f'<span class="wikilink" data-target-slug="{html.escape(slug)}">{inner}</span>'
        )

    def image(self, match: re.Match) -> str:
        if self.context is not None:
            message = f'image "{shorten(match.group(2))}" shown as its text'
            self.context.warn(self.line(match.start()), message)
        return self.keep(html.escape(match.group(1), quote=False))

    def link(self, match: re.Match) -> str:
        line = self.line(match.start())
        inner = render_markdown(match.group(1), self.context, LineMap([line]))
        return self.keep(_link_html(match.group(2), inner, self.context, line))

    def reduce_tags(self, text: str) -> str:
        """Autolinks and line breaks are kept; comments and every other tag are dropped."""
        text = _AUTOLINK.sub(self.autolink, text)
        if "<!--" in text:
            text = _COMMENT.sub("", text)
        text = _LINE_BREAK_TAG.sub(self.line_break, text)
        return _RAW_TAG.sub("", text)

    def autolink(self, match: re.Match) -> str:
        url = match.group(1)
        return self.keep(_link_html(url, html.escape(url, quote=False), None, 0))

    def line_break(self, match: re.Match) -> str:
        return self.keep("<br>")

    def restore(self, text: str) -> str:
        # A stashed fragment may hold stand-ins of its own (link text holds code spans).
        while True:
            restored = _STASHED.sub(self.restored, text)
            if restored == text:
                return text
            text = restored

    def restored(self, match: re.Match) -> str:
        return self.stash.get(int(match.group(1)), match.group(0))


def _emphasis(text: str) -> str:
    """Bold, italics and strikethrough, on text already escaped."""
    if "*" in text:
        text = _STRONG_EMPHASIS.sub(r"<strong><em>\1</em></strong>", text)
        text = _STRONG.sub(r"<strong>\1</strong>", text)
        text = _EMPHASIS.sub(r"<em>\1</em>", text)
    if "_" in text:
        text = _STRONG_UNDERSCORE.sub(r"<strong>\1</strong>", text)
        text = _EMPHASIS_UNDERSCORE.sub(r"<em>\1</em>", text)
    if "~~" in text:
        text = _STRIKETHROUGH.sub(r"<del>\1</del>", text)
    return text


def _page_name(target: str) -> str:
    """A wiki link's page: `[[notes/some_topic.md#part]]` names `some_topic`."""
    page = target.split("#")[0].strip()
    if page.lower().endswith(".md"):
        page = page[:-3].rsplit("/", 1)[-1]
    return page


def _link_html(url: str, inner: str, context: InlineContext | None, line: int) -> str:
    """An external link, a wiki link span for a relative one, or only its text when unsafe."""
    url = url.strip()
    slug_host = _SLUG_AS_HOST.match(url)
    if _EXTERNAL_URL.match(url) and slug_host is None:
        return f'<a href="{html.escape(url)}" rel="noopener nofollow">{inner}</a>'
    if slug_host is not None:
        target = slug_host.group(1)
    elif not url or url.startswith(("#", "//")):
        return inner
    elif _SCHEME.match(url):
        if context is not None:
            context.warn(line, f'link to "{shorten(url, 40)}" shown as plain text')
        return inner
    else:
        target = unquote(url.split("#")[0].split("?")[0].rstrip("/").rsplit("/", 1)[-1])
        target = target.removesuffix(".md").removesuffix(".html")
    slug = slugify(target)
    if not slug:
        return inner
    if context is not None:
        context.links.append((slug, plain_text(inner), line))
    return f'<span class="wikilink" data-target-slug="{html.escape(slug)}">{inner}</span>'

"""One block's inline Markdown to safe HTML, plain text and timestamps. Pure: no Django.

`render_claim` is the inline half of `parsing.py`: it has `timestamp_forms` find every way the
seed documents write a moment of the video, cuts the claim into segments there, renders
the rest of the Markdown with a small regex renderer (the generated documents only use bold,
italics, code, links and wiki links, and a hand-written renderer reads them several times
faster than a CommonMark one) and cleans the result with nh3. Raw HTML from a document never
reaches the output: tags are reduced to their text before rendering, and nh3 has the last word.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

import nh3

from apps.reader.slugs import slugify
from apps.reader.timecode import format_timecode
from apps.reader.timestamps import MARKER, mark_timestamps, shorten

# Stand-ins that no document contains (private use area): a pair around the number of a
# fragment already rendered, so later passes leave it alone (`MARKER`, one per timestamp,
# comes from `timestamp_forms`).
_STASH_OPEN = "\ue001"
_STASH_CLOSE = "\ue002"
_STASHED = re.compile(f"{_STASH_OPEN}(\\d+){_STASH_CLOSE}")
_stash_numbers = itertools.count()

SEGMENT_OPEN = '<span class="seg" data-segment>'

# A bold lead-in: "**Objective**: ..." or "**Objective:** ..." (also with underscores).
_LABEL = re.compile(
    r"\s*(?:\*\*(?P<star>[^*\n]{1,120}?)\s*(?::\*\*|\*\*\s*:)"
    r"|__(?P<underscore>[^_\n]{1,120}?)\s*(?::__|__\s*:))[ \t]*"
)

_SIMPLE_SLUG = re.compile(r"[a-z0-9_]+")
_MARKDOWN_SPECIAL = re.compile(r"[`\\\[\]*_~<&]")
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

_TAG_OR_TEXT = re.compile(r"(<[^<>]+>)")
_TAG_NAME = re.compile(r"<(/?)([a-z]+)")
_EMPTY_ELEMENT = re.compile(
    r"<(strong|em|code|del|sub|sup)></\1>"
    r"|<span class=\"wikilink\" data-target-slug=\"[^\"]*\"></span>"
    r"|<a href=\"[^\"]*\" rel=\"noopener nofollow\"></a>"
)
_ANY_TAG = re.compile(r"<[^<>]*>")

# What may stand between two timestamps that share one segment: punctuation, brackets, "and".
_GLUE = re.compile(r"(?:[\s,;:.\-\u2013\u2014/&|()\[\]]|\band\b|\bto\b)*")
# Characters stripped off the ends of pieces of text between timestamps.
_LEADING_PUNCTUATION = " \t\n.,;:!?)]»”。、\uff0c\u2013\u2014"
_OPENING_DECORATION = " \t\n(["
_SEGMENT_TRAILING = " ,;:\u2013\u2014-"
_JOINING_PUNCTUATION = ".,;:!?)]»”。、\uff0c"

_ALLOWED_TAGS = {"strong", "em", "code", "a", "span", "br", "sub", "sup", "del"}
_CLEANER_OPTIONS = {
    "tags": _ALLOWED_TAGS,
    "attributes": {
        "a": {"href", "rel", "title", "data-seconds"},
        "span": {"data-segment", "data-seconds", "data-target-slug"},
    },
    "allowed_classes": {"a": {"ts"}, "span": {"seg", "wikilink"}},
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": None,
}
# A reusable cleaner where nh3 has one (0.2.18+); the plain function otherwise.
_clean_html = (
    nh3.Cleaner(**_CLEANER_OPTIONS).clean
    if hasattr(nh3, "Cleaner")
    else functools.partial(nh3.clean, **_CLEANER_OPTIONS)
)


# Times as links show them, shared by all documents: the same few thousand recur. Only times
# within two days are kept, so no document can make the table grow without bound.
_TIMECODES: dict[int, str] = {}
_TIMECODES_CACHED_BELOW = 2 * 24 * 3600


@dataclass(slots=True)
class RenderedClaim:
    """A block rendered: what `parsing.py` makes a claim of."""

    label: str
    text: str
    html: str
    timestamps: list[tuple[int, str, int]]  # (seconds, segment, line)


@dataclass(slots=True)
class InlineContext:
    """What rendering collects on the side while it reads one document."""

    video_id: str
    links: list[tuple[str, str, int]] = field(default_factory=list)  # (slug, text, line)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    _links_by_seconds: dict[int, str] = field(default_factory=dict)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    def timestamp_link(self, seconds: int) -> str:
        """The link a timestamp becomes: a real YouTube URL, so it works without JavaScript."""
        link = self._links_by_seconds.get(seconds)
        if link is None:
            shown = _TIMECODES.get(seconds)
            if shown is None:
                shown = format_timecode(seconds)
                if seconds < _TIMECODES_CACHED_BELOW:
                    _TIMECODES[seconds] = shown
            link = (
                f'<a class="ts" href="https://www.youtube.com/watch?v={self.video_id}&amp;t='
                f'{seconds}s" data-seconds="{seconds}">{shown}</a>'
            )
            self._links_by_seconds[seconds] = link
        return link


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


def render_claim(
    lines: list[tuple[int, str]],
    context: InlineContext,
    *,
    code: bool = False,
    find_label: bool = True,
) -> RenderedClaim:
    """Render a block (its lines as (line number, text)) to a claim's label, text and html."""
    if len(lines) == 1:
        line_numbers = [lines[0][0]]
        source = lines[0][1]
    else:
        line_numbers = [number for number, _ in lines]
        source = "\n".join(text for _, text in lines)
    start = 0
    label = ""
    if find_label and not code and source[:2] in ("**", "__"):
        match = _LABEL.match(source)
        if match and not ("[" in match.group(0) or "<" in match.group(0)):
            label = render_label(match.group("star") or match.group("underscore"))
            start = match.end()

    marked, stamps = mark_timestamps(source, start, line_numbers, context)
    newlines_before = source.count("\n", 0, start) if start else 0
    last = len(line_numbers) - 1

    def line_in_marked(text: str, position: int) -> int:
        if not last:
            return line_numbers[0]
        return line_numbers[min(newlines_before + text.count("\n", 0, position), last)]

    if code:
        rendered = "<code>" + html.escape(marked, quote=False).replace("\n", "<br>") + "</code>"
    else:
        rendered = _render_markdown(marked, context, line_in_marked)
        if "\n" in rendered:
            rendered = rendered.replace("\n", " ")
        if "<" in rendered:
            # Everything taken from the document passes nh3; the segment spans and timestamp
            # links added below are built from integers and the checked video id only.
            rendered = _clean_html(rendered)
        if stamps and rendered.count(MARKER) != len(stamps):
            # A timestamp fell inside something the renderer drops (a tag, a link target):
            # keep the timestamps and give up the formatting of this one claim.
            rendered = html.escape(marked.replace("\n", " "), quote=False)
    if rendered[:1] == " " or rendered[-1:] == " ":
        rendered = rendered.strip(" ")
    claim_html, text, segments = _assemble(rendered, stamps, context)
    if label:
        separator = ": " if claim_html else ":"
        claim_html = f"<strong>{html.escape(label, quote=False)}</strong>{separator}{claim_html}"
    timestamps = [
        (seconds, segment, line) for (seconds, line), segment in zip(stamps, segments, strict=True)
    ]
    return RenderedClaim(label=label, text=text, html=claim_html, timestamps=timestamps)


def render_label(source: str) -> str:
    """Plain text of a short inline fragment such as a callout title."""
    return plain_text(_render_markdown(source))


# Segments


def _assemble(
    rendered: str, stamps: list[tuple[int, int]], context: InlineContext
) -> tuple[str, str, list[str]]:
    """Wrap each segment and its timestamp links in a span; return html, text and segments."""
    if not stamps:
        return rendered, plain_text(rendered), []
    pieces = rendered.split(MARKER)
    groups: list[list[int]] = []
    for index in range(len(stamps)):
        piece = pieces[index]
        if index and _GLUE.fullmatch(plain_text(piece) if "<" in piece else piece):
            groups[-1].append(index)
        else:
            groups.append([index])
    # Bold text or a link around a timestamp (a piece with unpaired tags) needs its tags
    # closed and reopened around the span and link, which `_balance` does on chunks;
    # otherwise the pieces join as they are.
    balance = "<" in rendered and any(
        "<" in piece and piece.count("<") != 2 * piece.count("</") + piece.count("<br>")
        for piece in pieces
    )
    out: list = []
    text_parts: list[str] = []
    segments: list[str] = []
    link = context.timestamp_link
    taken = 0  # closing brackets at the start of the next piece already used by a group
    for group in groups:
        first = group[0]
        before = pieces[first][taken:] if taken else pieces[first]
        lead = ""
        if first:
            rest = before.lstrip(_LEADING_PUNCTUATION)
            lead, before = before[: len(before) - len(rest)], rest
        body = before.rstrip(_OPENING_DECORATION)
        segment = plain_text(body).rstrip(_SEGMENT_TRAILING)
        after = pieces[group[-1] + 1]
        taken = len(after) - len(after.lstrip(")]")) if after[:1] in (")", "]") else 0
        text_parts.append(lead)
        text_parts.append(body)
        if balance:
            out += [lead, _OPEN, before, ("anchor", link(stamps[first][0]))]
            for index in group[1:]:
                out += [pieces[index], ("anchor", link(stamps[index][0]))]
            out += [after[:taken], _CLOSE]
        else:
            links = link(stamps[first][0])
            if len(group) > 1:
                links += "".join(pieces[index] + link(stamps[index][0]) for index in group[1:])
            out.append(f"{lead}{SEGMENT_OPEN}{before}{links}{after[:taken]}</span>")
        if len(group) == 1:
            segments.append(segment)
        else:
            segments += [segment] * len(group)
    tail = pieces[-1][taken:] if taken else pieces[-1]
    out.append(tail)
    text_parts.append(tail)
    # Each body has no trailing space and each following piece keeps its leading one, so the
    # text reads "code. The model", with no space where a timestamp was taken out.
    text = plain_text("".join(text_parts))
    return (_balance(out) if balance else "".join(out)), text, segments


_OPEN = ("open", SEGMENT_OPEN)
_CLOSE = ("close", "</span>")


def _balance(chunks: list[str | tuple[str, str]]) -> str:
    """Join chunks so every segment span and timestamp link stands outside the inline tags
    open around it: they are closed before it and opened again after it."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    for chunk in chunks:
        if isinstance(chunk, tuple):
            out.extend(f"</{name}>" for name, _ in reversed(stack))
            out.append(chunk[1])
            out.extend(tag for _, tag in stack)
            continue
        if "<" not in chunk:
            out.append(chunk)
            continue
        for part in _TAG_OR_TEXT.split(chunk):
            name_match = _TAG_NAME.match(part) if part.startswith("<") else None
            if name_match is None:
                out.append(part)
            elif name_match.group(1):
                name = name_match.group(2)
                if any(open_name == name for open_name, _ in stack):
                    while stack:
                        open_name, _ = stack.pop()
                        out.append(f"</{open_name}>")
                        if open_name == name:
                            break
            elif name_match.group(2) == "br" or part.endswith("/>"):
                out.append(part)
            else:
                stack.append((name_match.group(2), part))
                out.append(part)
    out.extend(f"</{name}>" for name, _ in reversed(stack))
    result = "".join(out)
    while _EMPTY_ELEMENT.search(result):
        result = _EMPTY_ELEMENT.sub("", result)
    return result


# Inline Markdown


def _render_markdown(
    text: str,
    context: InlineContext | None = None,
    line_at: Callable[[str, int], int] | None = None,
) -> str:
    """Inline Markdown to HTML; raw HTML is reduced to its text; markers pass through.

    `line_at(text, position)` names the document line of a position in `text` as it stands
    when links are read, for the links and warnings it records.
    """
    if not _MARKDOWN_SPECIAL.search(text):
        return html.escape(text, quote=False)
    # Marker numbers are unique across nested calls (link text is rendered by a nested call):
    # each call restores only its own and leaves the caller's for the caller to restore.
    stash: dict[int, str] = {}

    def keep(fragment: str, replaced: str = "") -> str:
        number = next(_stash_numbers)
        stash[number] = fragment
        # Line breaks inside what is stashed stay outside it, so line numbers still add up.
        return f"{_STASH_OPEN}{number}{_STASH_CLOSE}" + "\n" * replaced.count("\n")

    current = text

    def line(position: int) -> int:
        return line_at(current, position) if line_at else 0

    def fixed_line(position: int) -> Callable[[str, int], int]:
        found = line(position)
        return lambda inner_text, inner_position: found

    if "`" in text:

        def code_span(match: re.Match) -> str:
            content = match.group(2).strip() or match.group(2)
            if _WIKILINK.fullmatch(content):
                return content  # a wiki link the generator wrapped in backticks by mistake
            return keep(f"<code>{html.escape(content, quote=False)}</code>", match.group(0))

        text = _CODE_SPAN.sub(code_span, text)
    if "\\" in text:
        text = _BACKSLASH_ESCAPE.sub(lambda m: keep(html.escape(m.group(1), quote=False)), text)
    if "[[" in text:

        def wikilink(match: re.Match) -> str:
            target, separator, shown = match.group(1).partition("|")
            target = target.strip().rstrip("\\").strip()
            shown = shown.strip() if separator else target
            if _MARKDOWN_SPECIAL.search(shown):
                inner = _render_markdown(shown, context, fixed_line(match.start()))
                shown_text = plain_text(inner)
            else:
                inner = html.escape(shown, quote=False)
                shown_text = collapse_whitespace(shown)
            slug = target if _SIMPLE_SLUG.fullmatch(target) else slugify(_page_name(target))
            if not slug:
                return keep(inner)
            if context is not None:
                context.links.append((slug, shown_text, line(match.start())))
            return keep(
                f'<span class="wikilink" data-target-slug="{html.escape(slug)}">{inner}</span>'
            )

        current = text
        text = _WIKILINK.sub(wikilink, text)
    if "](" in text:
        if "![" in text:

            def image(match: re.Match) -> str:
                if context is not None:
                    context.warn(
                        line(match.start()), f'image "{shorten(match.group(2))}" shown as its text'
                    )
                return keep(html.escape(match.group(1), quote=False))

            current = text
            text = _IMAGE.sub(image, text)

        def link(match: re.Match) -> str:
            inner = _render_markdown(match.group(1), context, fixed_line(match.start()))
            return keep(_link_html(match.group(2), inner, context, line(match.start())))

        current = text
        text = _LINK.sub(link, text)
    if "<" in text:
        text = _AUTOLINK.sub(
            lambda m: keep(_link_html(m.group(1), html.escape(m.group(1), quote=False), None, 0)),
            text,
        )
        if "<!--" in text:
            text = _COMMENT.sub("", text)
        text = _LINE_BREAK_TAG.sub(lambda m: keep("<br>"), text)
        text = _RAW_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = html.escape(text, quote=False)
    if "*" in text:
        text = _STRONG_EMPHASIS.sub(r"<strong><em>\1</em></strong>", text)
        text = _STRONG.sub(r"<strong>\1</strong>", text)
        text = _EMPHASIS.sub(r"<em>\1</em>", text)
    if "_" in text:
        text = _STRONG_UNDERSCORE.sub(r"<strong>\1</strong>", text)
        text = _EMPHASIS_UNDERSCORE.sub(r"<em>\1</em>", text)
    if "~~" in text:
        text = _STRIKETHROUGH.sub(r"<del>\1</del>", text)

    def restore(match: re.Match) -> str:
        return stash.get(int(match.group(1)), match.group(0))

    while True:
        restored = _STASHED.sub(restore, text)
        if restored == text:
            return text
        text = restored


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

"""Seed documents to plain data. Pure: no Django, no database, no I/O beyond the text given.

`parse_document(text, path=...)` reads one document and returns a `ParsedArticle`, a
`ParsedChannelIndex` or a `ParsedDirectory`, or raises `DocumentError` when the file cannot be
imported at all. Everything it cannot understand inside a readable document becomes a
`ParseWarning` (with its 1-based line in the file) and is skipped.

The work is shared out: `markdown_blocks` reads the block structure line by line,
`timestamp_forms` finds timestamps in every form the documents use, `markdown_inline` renders
a block to a claim's label, text and safe HTML. Where the format leaves a choice, this reader
takes the following one (tests/episodes/test_parsing.py holds each to an example):

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

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from apps.reader.blocks import Block, Heading, read_blocks
from apps.reader.inline import InlineContext, RenderedClaim, render_claim
from apps.reader.markdown import render_label
from apps.reader.slugs import INVISIBLE_MARKS, channel_slug, slugify
from apps.reader.timestamps import shorten

PARSER_VERSION = 1


class DocumentError(ValueError):
    """The whole document cannot be imported; `line` is where the reader gave up (or 1)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class ParseWarning:
    line: int
    message: str


@dataclass(slots=True)
class ParsedTimestamp:
    seconds: int
    segment: str  # plain text of the span this timestamp marks (back to the previous one)
    line: int


@dataclass(slots=True)
class ParsedClaim:
    kind: str  # "item" | "paragraph" | "quote"
    label: str  # a bold lead-in ("**Objective**:" -> "Objective"), else ""
    text: str  # plain text without the label and without timestamp markup
    html: str  # safe inline HTML of the whole claim, segments and timestamp links included
    line: int
    timestamps: list[ParsedTimestamp] = field(default_factory=list)
    children: list[ParsedClaim] = field(default_factory=list)


@dataclass(slots=True)
class ParsedSection:
    title: str | None  # None for the untitled section before the first heading
    level: int  # heading level 2..6 (1 for "#"), 0 for the untitled first section
    line: int
    claims: list[ParsedClaim] = field(default_factory=list)
    children: list[ParsedSection] = field(default_factory=list)


@dataclass(slots=True)
class ParsedLink:
    target_slug: str
    text: str
    line: int


@dataclass(slots=True)
class ArticleHeading:
    """What an article says of itself, before its sections."""

    title: str
    slug: str
    video_id: str
    channel_slug: str | None
    channel_name: str | None
    summary: str


@dataclass(slots=True)
class ParsedArticle(ArticleHeading):
    sections: list[ParsedSection]  # top-level sections in order; the first may be untitled
    links: list[ParsedLink]
    warnings: list[ParseWarning]


@dataclass(slots=True)
class IndexedEpisode:
    video_id: str
    title: str
    article_slugs: list[str]
    line: int


@dataclass(slots=True)
class ParsedChannelIndex:
    slug: str
    title: str
    episodes: list[IndexedEpisode]
    warnings: list[ParseWarning]


@dataclass(slots=True)
class ParsedDirectory:
    """A page listing channels (`- [[slug | Name]]`), which gives channels their names."""

    title: str
    channels: list[tuple[str, str]]  # (slug, name)
    warnings: list[ParseWarning]


def parse_document(text: str, *, path: str) -> ParsedArticle | ParsedChannelIndex | ParsedDirectory:
    """Read one seed document; `path` names it in messages and gives index pages their slug."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.removeprefix("\ufeff").split("\n")
    warnings: list[ParseWarning] = []
    front_matter, opening_line, body_start = _read_front_matter(lines, warnings)
    title_entry = front_matter.get("title")
    if title_entry is None or not title_entry[0]:
        line = title_entry[1] if title_entry else opening_line
        raise DocumentError("the front matter has no title", line)
    title = title_entry[0]
    body = [(number, lines[number - 1]) for number in range(body_start, len(lines) + 1)]
    video_id_entry = front_matter.get("videoid") or front_matter.get("video_id")
    if video_id_entry is None:
        return _parse_page(title, body, path, warnings)
    video_id = _check_video_id(*video_id_entry)
    return _parse_article(title, video_id, body, warnings)


# Front matter

_FRONT_MATTER_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)$")
_PREAMBLE = re.compile(
    r"(?:here(?: is|'s| are)|below is|sure|certainly|okay|ok)\b[^\n]{0,160}:$", re.IGNORECASE
)
_LEADING_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(?:markdown|md|yaml)?[ \t]*$", re.IGNORECASE)
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_PLACEHOLDER_VIDEO_ID = re.compile(
    r"x+|_+|-+|0+|\.+|(?:your|my|the)?[_ -]?video[_ -]?id.*|placeholder.*|tbd|todo|none|null|"
    r"n/?a|<.*>|\{.*\}|\[.*\]",
    re.IGNORECASE,
)


def _read_front_matter(
    lines: list[str], warnings: list[ParseWarning]
) -> tuple[dict[str, tuple[str, int]], int, int]:
    """The `key: value` pairs between the --- lines (lowercased keys, with their line), and
    the 1-based numbers of the opening --- line and of the first body line."""
    first = _next_filled(lines, 0)
    if first is None:
        raise DocumentError("the document is empty", 1)
    opening = first
    if lines[first].strip() != "---":
        # A generator sometimes leaked a line ("Here is the article:") or a fence first.
        following = _next_filled(lines, first + 1)
        leaked = lines[first].strip()
        if (
            following is not None
            and lines[following].strip() == "---"
            and (_PREAMBLE.match(leaked) or _LEADING_FENCE.match(leaked) or leaked.endswith(":"))
        ):
            warnings.append(
                ParseWarning(
                    first + 1, f'text before the front matter skipped: "{shorten(leaked)}"'
                )
            )
            opening = following
            if _LEADING_FENCE.match(leaked):
                _blank_last_fence(lines, leaked[0])
        else:
            raise DocumentError(
                "no front matter: a document starts with ---, title: and ---", first + 1
            )
    values: dict[str, tuple[str, int]] = {}
    for index in range(opening + 1, len(lines)):
        line = lines[index].strip()
        if line in ("---", "..."):
            return values, opening + 1, index + 2
        match = _FRONT_MATTER_KEY.match(line)
        if match:
            values.setdefault(match.group(1).lower(), (_unquote(match.group(2)), index + 1))
    raise DocumentError("the front matter is never closed with ---", opening + 1)


def _next_filled(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _blank_last_fence(lines: list[str], fence_character: str) -> None:
    for index in range(len(lines) - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped:
            if stripped.startswith(fence_character * 3) and not stripped.strip(fence_character):
                lines[index] = ""
            return


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == "'":
            return inner.replace("''", "'").strip()
        return inner.replace('\\"', '"').replace("\\\\", "\\").strip()
    return value


def _check_video_id(value: str, line: int) -> str:
    if not value:
        raise DocumentError("videoId is empty", line)
    if _PLACEHOLDER_VIDEO_ID.fullmatch(value):
        raise DocumentError(f'videoId "{value}" is a placeholder, not a YouTube id', line)
    if not _VIDEO_ID.fullmatch(value):
        raise DocumentError(f'videoId "{shorten(value)}" is not an 11-character YouTube id', line)
    return value


# Articles

_FROM = re.compile(
    r"From:[ \t]*(?:\[\[([^\[\]|]*?)[ \t]*(?:\|[ \t]*([^\[\]]*?)[ \t]*)?\]\]"
    r"[ \t]*(?:<br[ \t]*/?>)?[ \t]*(.*)|(.*))$",
    re.IGNORECASE,
)
SUMMARY_LIMIT = 500
# Headings with nothing inline to render, which is nearly all of them.
_PLAIN_HEADING = re.compile(r"[^<\[\]*_`&\\~]*")
_CLAIM_KINDS = {"item": "item", "quote": "quote"}  # code and table rows become paragraphs


def _parse_article(
    title: str, video_id: str, body: list[tuple[int, str]], warnings: list[ParseWarning]
) -> ParsedArticle:
    channel_slug, channel_name = _take_leading_lines(body, warnings)
    reading = read_blocks(body)
    warnings.extend(ParseWarning(line, message) for line, message in reading.warnings)
    context = InlineContext(video_id)
    sections: list[ParsedSection] = []
    open_sections: list[ParsedSection] = []
    summary = ""
    for event in reading.events:
        if isinstance(event, Heading):
            rendered = None
            if _PLAIN_HEADING.fullmatch(event.text):
                heading = " ".join(event.text.split())
            else:
                rendered = render_claim([(event.line, event.text)], context, find_label=False)
                heading = rendered.text
            section = ParsedSection(title=heading, level=event.level, line=event.line)
            while open_sections and open_sections[-1].level >= event.level:
                open_sections.pop()
            (open_sections[-1].children if open_sections else sections).append(section)
            open_sections.append(section)
            if rendered is not None and rendered.timestamps:
                # The moment a heading names opens its section, as a claim of its own.
                section.claims.append(_claim_from(rendered, "paragraph", event.line))
            continue
        claims = _claims(event, context)
        if open_sections:
            open_sections[-1].claims.extend(claims)
            continue
        if not claims:
            continue
        if not sections:
            sections.append(ParsedSection(title=None, level=0, line=event.line))
        sections[0].claims.extend(claims)
        if not summary and event.kind == "paragraph" and claims and claims[-1].text:
            summary = _summary(claims[-1].text)
    warnings.extend(ParseWarning(line, message) for line, message in context.warnings)
    warnings.sort(key=lambda warning: warning.line)
    return ParsedArticle(
        title=title,
        slug=slugify(title),
        video_id=video_id,
        channel_slug=channel_slug,
        channel_name=channel_name,
        summary=summary,
        sections=sections,
        links=[ParsedLink(slug, text, line) for slug, text, line in context.links],
        warnings=warnings,
    )


def _take_leading_lines(
    body: list[tuple[int, str]], warnings: list[ParseWarning]
) -> tuple[str | None, str | None]:
    """Take the From line (the channel) and a leaked generator preamble off the body's top.

    Both are replaced in place by what is left of them, so line numbers stay exact.
    """
    channel: tuple[str | None, str | None] = (None, None)
    seen_from = seen_preamble = False
    index = 0
    while index < len(body):
        number, text = body[index]
        stripped = text.strip()
        if not stripped:
            index += 1
            continue
        if not seen_from and stripped[:5].lower() == "from:":
            seen_from = True
            match = _FROM.match(stripped)
            if match.group(4) is not None:
                name = render_label(match.group(4))
                if name:
                    channel = (channel_slug(name), name)
                body[index] = (number, "")
            else:
                slug = channel_slug(match.group(1))
                name = INVISIBLE_MARKS.sub("", match.group(2) or "").strip()
                channel = (slug or None, name or slug or None)
                body[index] = (number, match.group(3))
            continue
        if not seen_preamble and _PREAMBLE.match(stripped):
            seen_preamble = True
            warnings.append(
                ParseWarning(number, f'generator preamble "{shorten(stripped)}" skipped')
            )
            body[index] = (number, "")
            continue
        break
    return channel


def _claims(block: Block, context: InlineContext) -> list[ParsedClaim]:
    """The claim(s) of a block: one, or none when it says nothing; two when a callout title
    cannot become the label of the claim it opens."""
    rendered = render_claim(block.lines, context, code=block.kind == "code")
    kind = _CLAIM_KINDS.get(block.kind) or ("quote" if block.quoted else "paragraph")
    claims: list[ParsedClaim] = []
    title = block.callout_title
    if title is not None:
        title_text = render_label(title[1])
        if rendered.label or not title_text or "[" in title[1] or "<a" in title[1]:
            title_claim = render_claim([title], context, find_label=False)
            if title_claim.text or title_claim.timestamps:
                claims.append(_claim_from(title_claim, "quote", title[0]))
        else:
            rendered.label = title_text
            rendered.html = (
                f"<strong>{html.escape(title_text, quote=False)}</strong>: {rendered.html}"
            )
    children = [child for nested in block.children for child in _claims(nested, context)]
    if rendered.text or rendered.timestamps or rendered.label or children:
        claim = _claim_from(rendered, kind, block.line)
        claim.children = children
        claims.append(claim)
    elif block.kind == "item":
        context.warn(block.line, "empty list item skipped")
    return claims


def _claim_from(rendered: RenderedClaim, kind: str, line: int) -> ParsedClaim:
    return ParsedClaim(
        kind=kind,
        label=rendered.label,
        text=rendered.text,
        html=rendered.html,
        line=line,
        timestamps=[
            ParsedTimestamp(seconds, segment, at) for seconds, segment, at in rendered.timestamps
        ],
    )


def _summary(text: str) -> str:
    """The first paragraph before any heading, cut on a word to at most SUMMARY_LIMIT."""
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


# Channel index and directory pages

_EPISODE_HEADING = re.compile(
    r"#{1,6}[ \t]+\[(?P<title>.*)\]\([ \t]*<?https?://(?:www\.|m\.)?"
    r"(?:youtube\.com/watch\?(?:[^()\s]*&)?v=|youtu\.be/)(?P<id>[A-Za-z0-9_-]{11})"
    r"[^()\s]*>?[ \t]*\)[ \t]*$"
)
_WIKILINK = re.compile(r"\[\[([^\[\]|]+?)[ \t]*(?:\|[ \t]*([^\[\]]*?)[ \t]*)?\]\]")
_PAGE_LIST_ITEM = re.compile(r"[ \t]*[-*+][ \t]+")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _parse_page(
    title: str, body: list[tuple[int, str]], path: str, warnings: list[ParseWarning]
) -> ParsedChannelIndex | ParsedDirectory:
    """A page with no videoId: a channel's index of episodes, or a directory of channels."""
    if any(_EPISODE_HEADING.match(text.strip()) for _, text in body if text.startswith("#")):
        return _parse_channel_index(title, body, path, warnings)
    for number, text in body:
        if text.strip()[:5].lower() == "from:":
            raise DocumentError("no videoId in the front matter of an article", number)
    channels: list[tuple[str, str]] = []
    for number, text in body:
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue  # headings only decorate a directory
        links = _WIKILINK.findall(stripped) if _PAGE_LIST_ITEM.match(text) else []
        if links:
            target, name = links[0]
            slug = channel_slug(target)
            channels.append((slug, INVISIBLE_MARKS.sub("", name).strip() or slug))
        else:
            warnings.append(ParseWarning(number, "text outside the channel list skipped"))
    return ParsedDirectory(title=title, channels=channels, warnings=warnings)


def _parse_channel_index(
    title: str, body: list[tuple[int, str]], path: str, warnings: list[ParseWarning]
) -> ParsedChannelIndex:
    episodes: list[IndexedEpisode] = []
    for number, text in body:
        stripped = text.strip()
        if not stripped:
            continue
        heading = _EPISODE_HEADING.match(stripped)
        if heading:
            episode_title = html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", heading.group("title")))
            episodes.append(IndexedEpisode(heading.group("id"), episode_title.strip(), [], number))
            continue
        links = _WIKILINK.findall(stripped) if _PAGE_LIST_ITEM.match(text) else []
        if links and episodes:
            episodes[-1].article_slugs.extend(
                slug for target, _ in links if (slug := slugify(target.split("#")[0]))
            )
        else:
            warnings.append(ParseWarning(number, "line outside an episode list skipped"))
    return ParsedChannelIndex(
        slug=channel_slug(PurePath(path).stem),
        title=title,
        episodes=episodes,
        warnings=warnings,
    )

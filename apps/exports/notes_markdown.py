"""An episode's notes as one Markdown document in the seed format, which `import_seeds` reads.

The document is an episode, not an article: its front matter carries the episode's title and
videoId, each article is a `##` heading and its sections the headings below (`###` …, deeper
ones stopping at `######`). Claims are written from their inline HTML (`Claim.html`) back to
the Markdown the parser reads: bold, italics, code, links, wiki links, and every timestamp as
`<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>` where it stood. Plain text is
backslash-escaped wherever the parser would read it as markup, so importing the file gives
back the same claims (label, text, timestamps) in the same order.

A reader's own notes, when asked for, follow the claim they belong to as `> [!note]` callouts
(notes at a moment with no claim close the document under "Notes at other moments"). They are
for reading: importing such a file reads each note as a quote claim of its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from apps.episodes.outline import ArticleOutline, ClaimNode, SectionNode
from apps.reader.timecode import format_timecode

ARTICLE_HEADING = 2
DEEPEST_HEADING = 6
INDENT = "    "

_INLINE_SPECIAL = re.compile(r"([`\\\[\]*_~<&])")
# What opens a block when it starts a line: a quote, a heading, a list item, a fence, TeX or
# a rule. The match ends just after the character to escape.
_BLOCK_START = re.compile(
    r">|#(?=#{0,5}(?:[ \t]|$))|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|~~~|\$\$"
)
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")


def episode_notes_markdown(
    *,
    title: str,
    video_id: str,
    channel_slug: str | None,
    channel_name: str | None,
    outlines: Iterable[ArticleOutline],
    loose_notes: Iterable = (),
) -> str:
    """The whole document. Notes hang on `ClaimNode.annotations`; `loose_notes` have no claim."""
    lines = ["---", f"title: {_yaml_string(title)}", f"videoId: {video_id}", "---", ""]
    if channel_slug:
        name = (channel_name or channel_slug).replace("[", "").replace("]", "")
        lines += [f"From: [[{channel_slug} | {name}]]", ""]
    for outline in outlines:
        lines += [f"{'#' * ARTICLE_HEADING} {heading_text(outline.article.title)}", ""]
        for node in outline.sections:
            _write_section(lines, node, ARTICLE_HEADING + 1)
    loose = list(loose_notes)
    if loose:
        lines += [f"{'#' * ARTICLE_HEADING} Notes at other moments", ""]
        for note in loose:
            lines += _note_lines(note, "")
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _write_section(lines: list[str], node: SectionNode, level: int) -> None:
    if node.title:
        lines += [f"{'#' * min(level, DEEPEST_HEADING)} {heading_text(node.title)}", ""]
        level += 1
    previous_kind = None
    for claim_node in node.claims:
        kind = claim_node.claim.kind
        # A list's items stay together; anything else stands in a block of its own, since a
        # line right after a list item would continue that item.
        if previous_kind is not None and not (kind == previous_kind == "item"):
            lines.append("")
        _write_claim(lines, claim_node, depth=0)
        previous_kind = "note" if claim_node.annotations else kind
    if node.claims:
        lines.append("")
    for child in node.children:
        _write_section(lines, child, level)


def _write_claim(lines: list[str], node: ClaimNode, *, depth: int) -> None:
    claim = node.claim
    body = block_text(claim_markdown(claim.html))
    indent = INDENT * depth
    callout = _callout(claim) if claim.kind == "quote" else None
    if callout:
        lines += callout
    elif claim.kind == "quote":
        lines.append(f"> {body}".rstrip())
    elif claim.kind == "item" or depth:
        lines.append(f"{indent}*   {body}".rstrip())
    else:
        lines.append(body)
    if node.annotations:
        note_indent = INDENT * (depth + 1) if claim.kind == "item" or depth else ""
        for note in node.annotations:
            lines.append("" if not note_indent else note_indent.rstrip())
            lines += _note_lines(note, note_indent)
        if node.children:
            lines.append("")
    for child in node.children:
        _write_claim(lines, child, depth=depth + 1)


def _callout(claim) -> list[str] | None:
    """A labelled quote as the callout it came from (`> [!quote] Label`), which keeps any label
    (one ending in ":" would not survive as a bold lead-in); None when it has no label."""
    opening = f"<strong>{html.escape(claim.label, quote=False)}</strong>:"
    if not claim.label or not claim.text or not claim.html.startswith(opening):
        return None
    body = block_text(claim_markdown(claim.html[len(opening) :]))
    return [f"> [!quote] {escape_inline(claim.label)}", f"> {body}"]


def _note_lines(note, indent: str) -> list[str]:
    """A note as a callout: what it is, its moment or range and visibility in the title; the
    note it replies to; its Markdown as written (a bookmark has none); its tags."""
    kind = "Reply" if note.parent_id is not None else "Bookmark" if not note.body else "Note"
    details = [kind]
    if note.seconds is not None:
        moment = format_timecode(note.seconds)
        if note.end_seconds is not None:
            moment += f"\N{EN DASH}{format_timecode(note.end_seconds)}"
        details.append(moment)
    details.append(note.visibility)
    lines = [f"{indent}> [!note] {' · '.join(details)}"]
    if note.claim_id is None and note.quote:
        lines.append(f"{indent}> *On:* {block_text(escape_inline(note.quote))}")
    if note.parent_id is not None:
        lines.append(f"{indent}> *In reply to:* {_replied(note.parent, note.author_id)}")
    for body_line in note.body.splitlines():
        lines.append(f"{indent}> {body_line}".rstrip())
    tags = note.tag_names
    if tags:
        lines.append(f"{indent}> *Tags:* {' '.join(f'#{tag}' for tag in tags)}")
    return lines


def _replied(parent, reader_id: int) -> str:
    """The note a reply answers, in a few words: whose, and its first line; nothing of it
    when its author has made it private since (the reader's replies are exported, not it)."""
    if not parent.deleted and not parent.is_public and parent.author_id != reader_id:
        return "a note that is no longer public"
    if parent.deleted or not parent.body.strip():
        return "a deleted note" if parent.deleted else "a bookmark"
    first = parent.body.strip().splitlines()[0]
    if len(first) > 80:
        first = first[:79] + "…"
    return f"{escape_inline(parent.author.get_username())}: “{escape_inline(first)}”"


# Inline HTML back to Markdown


def escape_inline(text: str) -> str:
    """Plain text that the parser's inline reader gives back unchanged."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def block_text(markdown: str) -> str:
    """`markdown` made safe to open a line: a leading block marker is escaped."""
    match = _BLOCK_START.match(markdown) or _RULE.match(markdown)
    if match is None:
        return markdown
    # Escaping the character that makes it markup (the "." of "1.", the "#", the "*") breaks it.
    at = 0 if match.re is _RULE else match.end() - 1
    return f"{markdown[:at]}\\{markdown[at:]}"


def heading_text(title: str) -> str:
    text = escape_inline(" ".join(title.split()))
    # A heading's closing run of "#" is not part of its title.
    return f"{text[:-1]}\\#" if text.endswith("#") else text


def timestamp_anchor(seconds: int) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f'<a class="yt-timestamp" data-t="{clock}">[{clock}]</a>'


def claim_markdown(claim_html: str) -> str:
    """A claim's inline HTML (as `markdown_inline` renders it) as the Markdown it came from."""
    converter = _InlineMarkdown()
    converter.feed(claim_html)
    converter.close()
    return converter.result()


_WRAPPING = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~"}


class _InlineMarkdown(HTMLParser):
    """Walks the few tags a claim's HTML holds; each element's content is collected in a
    frame of its own and written out when the element closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # Each frame: (tag, attributes, collected pieces).
        self.frames: list[tuple[str, dict[str, str], list[str]]] = [("", {}, [])]
        self.in_timestamp = False

    def result(self) -> str:
        while len(self.frames) > 1:
            self.handle_endtag(self.frames[-1][0])
        return "".join(self.frames[0][2]).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.frames[-1][2].append("<br>")
        elif tag == "a" and "data-seconds" in attributes:
            self.frames[-1][2].append(timestamp_anchor(int(attributes["data-seconds"])))
            self.in_timestamp = True
        else:
            self.frames.append((tag, attributes, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.frames[-1][2].append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.in_timestamp:
            self.in_timestamp = False
            return
        if tag == "br" or len(self.frames) == 1 or self.frames[-1][0] != tag:
            return
        name, attributes, pieces = self.frames.pop()
        self.frames[-1][2].append(self._element(name, attributes, "".join(pieces)))

    def handle_data(self, data: str) -> None:
        if self.in_timestamp:
            return
        if self.frames[-1][0] == "code":
            self.frames[-1][2].append(data)
        else:
            self.frames[-1][2].append(escape_inline(data))

    @staticmethod
    def _element(name: str, attributes: dict[str, str], inner: str) -> str:
        if name == "code":
            return _code_span(inner)
        core = inner.strip()
        if not core:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        if name in _WRAPPING:
            marker = _WRAPPING[name]
            return f"{lead}{marker}{core}{marker}{trail}"
        # A link's text with an escape or a code span in it is given as text alone: the
        # parser (parsing.py at PARSER_VERSION 1) fails on such link texts. A wiki link holds
        # no brackets either, not even escaped ones.
        # A link around nothing but punctuation (a bracket beside a timestamp) is dropped, as
        # the parser drops such brackets from the claim's text.
        plain_enough = "\\" not in core and "`" not in core and any(c.isalnum() for c in core)
        if name == "a" and attributes.get("href") and plain_enough:
            return f"{lead}[{core}]({_link_destination(attributes['href'])}){trail}"
        if name == "span" and "wikilink" in attributes.get("class", "") and plain_enough:
            slug = attributes.get("data-target-slug", "")
            if slug and "[" not in core and "]" not in core and "\n" not in core:
                return f"{lead}[[{slug} | {core}]]{trail}"
        return inner


def _code_span(code: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{fence}{padding}{code}{padding}{fence}"


def _link_destination(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _yaml_string(value: str) -> str:
    value = " ".join(value.split())
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

"""An article's body to sections and claims. Pure: no Django.

`blocks.read_blocks` reads the block structure; each heading opens a section nested under the
open one of a lower level, and each block becomes one or more claims (`inline.render_claim`
renders them) in the innermost open section. The From line names the channel; the first
paragraph before any heading is the summary.
"""

from __future__ import annotations

import html
import re
from operator import attrgetter

from apps.reader.blocks import Block, Heading, read_blocks
from apps.reader.front_matter import PREAMBLE
from apps.reader.inline import InlineContext, RenderedClaim, render_claim
from apps.reader.markdown import render_label
from apps.reader.parsed import (
    ParsedArticle,
    ParsedClaim,
    ParsedLink,
    ParsedSection,
    ParsedTimestamp,
    ParseWarning,
)
from apps.reader.slugs import INVISIBLE_MARKS, channel_slug, slugify
from apps.reader.timestamps import shorten

_FROM = re.compile(
    r"From:[ \t]*(?:\[\[([^\[\]|]*?)[ \t]*(?:\|[ \t]*([^\[\]]*?)[ \t]*)?\]\]"
    r"[ \t]*(?:<br[ \t]*/?>)?[ \t]*(.*)|(.*))$",
    re.IGNORECASE,
)
SUMMARY_LIMIT = 500
# Headings with nothing inline to render, which is nearly all of them.
_PLAIN_HEADING = re.compile(r"[^<\[\]*_`&\\~]*")
_CLAIM_KINDS = {"item": "item", "quote": "quote"}  # code and table rows become paragraphs


def parse_article(
    title: str, video_id: str, body: list[tuple[int, str]], warnings: list[ParseWarning]
) -> ParsedArticle:
    """Read an article's body (its lines numbered in the file), after its front matter."""
    channel_slug, channel_name = _take_leading_lines(body, warnings)
    reading = read_blocks(body)
    warnings.extend(ParseWarning(line, message) for line, message in reading.warnings)
    context = InlineContext(video_id)
    outline = _Outline(context)
    for event in reading.events:
        if isinstance(event, Heading):
            outline.add_heading(event)
        else:
            outline.add_block(event)
    warnings.extend(ParseWarning(line, message) for line, message in context.warnings)
    warnings.sort(key=attrgetter("line"))
    return ParsedArticle(
        title=title,
        slug=slugify(title),
        video_id=video_id,
        channel_slug=channel_slug,
        channel_name=channel_name,
        summary=outline.summary,
        sections=outline.sections,
        links=[ParsedLink(slug, text, line) for slug, text, line in context.links],
        warnings=warnings,
    )


class _Outline:
    """The sections as headings open them, and the claims of each block in the right one."""

    __slots__ = ("context", "open_sections", "sections", "summary")

    def __init__(self, context: InlineContext) -> None:
        self.context = context
        self.sections: list[ParsedSection] = []  # top-level sections in order
        self.open_sections: list[ParsedSection] = []  # the innermost last
        self.summary = ""

    def add_heading(self, heading: Heading) -> None:
        rendered = None
        if _PLAIN_HEADING.fullmatch(heading.text):
            title = " ".join(heading.text.split())
        else:
            rendered = render_claim([(heading.line, heading.text)], self.context, find_label=False)
            title = rendered.text
        section = ParsedSection(title=title, level=heading.level, line=heading.line)
        open_sections = self.open_sections
        while open_sections and open_sections[-1].level >= heading.level:
            open_sections.pop()
        (open_sections[-1].children if open_sections else self.sections).append(section)
        open_sections.append(section)
        if rendered is not None and rendered.timestamps:
            # The moment a heading names opens its section, as a claim of its own.
            section.claims.append(_claim_from(rendered, "paragraph", heading.line))

    def add_block(self, block: Block) -> None:
        claims = _claims(block, self.context)
        if self.open_sections:
            self.open_sections[-1].claims.extend(claims)
            return
        if not claims:
            return
        if not self.sections:
            self.sections.append(ParsedSection(title=None, level=0, line=block.line))
        self.sections[0].claims.extend(claims)
        if not self.summary and block.kind == "paragraph" and claims[-1].text:
            self.summary = _summary(claims[-1].text)


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
            channel, rest = _read_from_line(stripped)
            body[index] = (number, rest)
            continue
        if not seen_preamble and PREAMBLE.match(stripped):
            seen_preamble = True
            warnings.append(
                ParseWarning(number, f'generator preamble "{shorten(stripped)}" skipped')
            )
            body[index] = (number, "")
            continue
        break
    return channel


def _read_from_line(stripped: str) -> tuple[tuple[str | None, str | None], str]:
    """The channel a From line names, as (slug, name), and the text after it on its line."""
    match = _FROM.match(stripped)
    if match.group(4) is not None:
        # No wiki link: all that follows "From:" is the channel's name.
        name = render_label(match.group(4))
        return ((channel_slug(name), name) if name else (None, None)), ""
    slug = channel_slug(match.group(1))
    name = INVISIBLE_MARKS.sub("", match.group(2) or "").strip()
    return (slug or None, name or slug or None), match.group(3)


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

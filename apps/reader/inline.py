"""One block's inline Markdown to safe HTML, plain text and timestamps. Pure: no Django.

`render_claim` is the inline half of `parsing.py`: `timestamps.mark_timestamps` finds every way
the seed documents write a moment of the video, `markdown.render_markdown` renders the rest,
nh3 cleans the result and `segments.assemble` cuts it into segments at the timestamps. Raw
HTML from a document never reaches the output: tags are reduced to their text before
rendering, and nh3 has the last word.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

import nh3

from apps.reader.markdown import LineMap, render_label, render_markdown
from apps.reader.segments import assemble
from apps.reader.timecode import format_timecode
from apps.reader.timestamps import MARKER, mark_timestamps

# A bold lead-in: "**Objective**: ..." or "**Objective:** ..." (also with underscores).
_LABEL = re.compile(
    r"\s*(?:\*\*(?P<star>[^*\n]{1,120}?)\s*(?::\*\*|\*\*\s*:)"
    r"|__(?P<underscore>[^_\n]{1,120}?)\s*(?::__|__\s*:))[ \t]*"
)

# The only link schemes anything on the site may carry: claims here, notes in annotations.
SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_ALLOWED_TAGS = {"strong", "em", "code", "a", "span", "br", "sub", "sup", "del"}
_CLEANER_OPTIONS = {
    "tags": _ALLOWED_TAGS,
    "attributes": {
        "a": {"href", "rel", "title", "data-seconds"},
        "span": {"data-segment", "data-seconds", "data-target-slug"},
    },
    "allowed_classes": {"a": {"ts"}, "span": {"seg", "wikilink"}},
    "url_schemes": set(SAFE_URL_SCHEMES),
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
    label, start = "", 0
    if find_label and not code and source[:2] in ("**", "__"):
        label, start = _label(source)
    marked, stamps = mark_timestamps(source, start, line_numbers, context)
    if code:
        rendered = "<code>" + html.escape(marked, quote=False).replace("\n", "<br>") + "</code>"
    else:
        newlines_before = source.count("\n", 0, start) if start else 0
        lines_of_marked = LineMap(line_numbers, newlines_before)
        rendered = _render_text(marked, len(stamps), context, lines_of_marked)
    if rendered[:1] == " " or rendered[-1:] == " ":
        rendered = rendered.strip(" ")
    claim_html, text, segments = assemble(rendered, stamps, context.timestamp_link)
    if label:
        separator = ": " if claim_html else ":"
        claim_html = f"<strong>{html.escape(label, quote=False)}</strong>{separator}{claim_html}"
    timestamps = [
        (seconds, segment, line) for (seconds, line), segment in zip(stamps, segments, strict=True)
    ]
    return RenderedClaim(label=label, text=text, html=claim_html, timestamps=timestamps)


def _label(source: str) -> tuple[str, int]:
    """A claim's bold lead-in as plain text, and where the rest begins; ("", 0) if none."""
    match = _LABEL.match(source)
    if match and not ("[" in match.group(0) or "<" in match.group(0)):
        return render_label(match.group("star") or match.group("underscore")), match.end()
    return "", 0


def _render_text(marked: str, stamp_count: int, context: InlineContext, lines: LineMap) -> str:
    """A claim's Markdown (timestamps already markers) to clean HTML on one line."""
    rendered = render_markdown(marked, context, lines)
    if "\n" in rendered:
        rendered = rendered.replace("\n", " ")
    if "<" in rendered:
        # Everything taken from the document passes nh3; the segment spans and timestamp
        # links added after it are built from integers and the checked video id only.
        rendered = _clean_html(rendered)
    if stamp_count and rendered.count(MARKER) != stamp_count:
        # A timestamp fell inside something the renderer drops (a tag, a link target):
        # keep the timestamps and give up the formatting of this one claim.
        rendered = html.escape(marked.replace("\n", " "), quote=False)
    return rendered

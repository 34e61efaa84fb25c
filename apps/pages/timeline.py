"""Where an episode's notes lie in time: the map drawn under the player.

One lane per article, because an episode's articles cover the same moments from different
angles. A lane is cut into spans by section: per article the page follows the claim owning the
greatest timestamp <= now, so a span runs from a section's timestamp to the next timestamp of
another section (or the article's last timestamp). Topical articles jump back and forth in the
video, so one section may own several spans. Claims are ticks at their first timestamp (where
pressing the claim seeks); notes are markers in a row of their own.

Built from the rows the page has already loaded: no query here. Horizontal positions are
percentages of the episode's duration, so the drawing scales with its box without JavaScript.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from apps.episodes.models import Article, Claim, Episode, Section, moment_url
from apps.episodes.outline import ArticleOutline
from apps.reader.timecode import format_timecode

# Without a known duration the bar ends a little after the last moment anyone wrote about.
MARGIN_SHARE = 0.02
MARGIN_MIN_SECONDS = 30
# Sections take one of this many colours (site.css --tl-section-0 … -5), in order of position.
SECTION_COLOURS = 6
# A span this narrow (in % of the width) is still visible and can be pressed.
MIN_SPAN_PERCENT = 0.3
LABEL_CHARS = 140
SECTION_PATH_SEPARATOR = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
AXIS_SHARES = (0, 0.25, 0.5, 0.75, 1)

# Vertical layout in px. A lane is a band of section spans above a row of claim ticks; an
# article with nested sections adds a band of its top-level sections on top. Every row is
# 24 px high, the smallest target WCAG 2.2 (2.5.8) allows a finger: ticks and notes are drawn
# smaller inside a 24 x 24 px target (_timeline.html's <defs>).
CHAPTER_HEIGHT = 24
BAND_HEIGHT = 24
TICKS_HEIGHT = 24
ROW_GAP = 2
LANE_GAP = 4
NOTE_ROW_HEIGHT = 24
AXIS_HEIGHT = 16

# A span's label is fitted here for the narrowest drawing a page has (a 320 px phone less the
# page's gutters), at a character width a little above the fonts' average: without JavaScript
# it is whole words and an ellipsis on any screen. timeline.js fits it again to the real width.
LABEL_REFERENCE_PX = 276
LABEL_CHAR_PX = 6.5
LABEL_PADDING_PX = 8
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
# Left at the end of a cut label, these would read as a dangling fragment before the ellipsis.
LABEL_TRAILING = " ,;:.-\N{EN DASH}\N{EM DASH}("


@dataclass(slots=True)
class Span:
    section: Section | None  # None for claims before the article's first heading
    start: int
    end: int
    x: str
    width: str
    y: int
    height: int
    colour: int
    title: str
    text: str  # the title as drawn: whole words, cut with an ellipsis to fit
    label: str
    href: str
    chapter: bool  # a top-level section drawn above the sections that own the claims


@dataclass(slots=True)
class Tick:
    claim: Claim
    seconds: int
    x: str
    label: str
    href: str


@dataclass(slots=True)
class NoteMark:
    annotation: Any
    seconds: int
    x: str
    mine: bool
    label: str
    href: str
    end_seconds: int | None = None  # a note on a range is drawn as a span to here
    width: str | None = None  # the span's width, in % like x


@dataclass(slots=True)
class AxisLabel:
    share: float
    x: str
    text: str
    anchor: str  # SVG text-anchor: the ends stay inside the box
    estimate: bool = False  # the end of a drawing whose length is not known yet


@dataclass(slots=True)
class Lane:
    outline: ArticleOutline
    chapters: list[Span]  # top-level sections, when the article nests its sections
    spans: list[Span]  # the sections that own the claims
    ticks: list[Tick]
    band_top: int
    tick_top: int
    height: int


@dataclass(frozen=True, slots=True)
class DrawnLanes:
    """The articles' lanes, drawn: the same for every reader until the content changes."""

    html: SafeString
    duration: int  # the positions are shares of it
    height: int  # where the row of notes starts
    has_ticks: bool
    utf8: bytes = b""  # the html, encoded: the episode page splices it in as it is
    # A digest of the html: the page asks for the timeline again with it, and is answered
    # without the lanes when it still has them (`without_lanes`).
    digest: str = ""
    kept_by_page: bool = False  # left out of the drawing: the page moves its own in

    def spliced(self, splice: Any) -> DrawnLanes:
        """These lanes with a marker of `splice` (episode_pieces.Splice) for their html."""
        return replace(self, html=splice.mark(self.utf8))

    def without_lanes(self) -> DrawnLanes:
        """These lanes with nothing drawn: for a page that has them already."""
        return replace(self, html=mark_safe(""), utf8=b"", kept_by_page=True)


@dataclass(slots=True)
class Timeline:
    duration: int
    duration_known: bool
    lanes: DrawnLanes
    notes: SafeString  # the notes' marks, drawn (_timeline.html#note-mark each)
    notes_y: int
    axis: list[AxisLabel]
    axis_y: int
    height: int

    @property
    def has_marks(self) -> bool:
        return bool(self.notes) or self.lanes.has_ticks

    @property
    def shape(self) -> tuple:
        """All the drawing shows but its marks and its lanes' own drawing (named by their
        digest): two timelines of one shape differ only there, so a kept frame serves both."""
        return (
            self.duration,
            self.duration_known,
            self.notes_y,
            self.axis_y,
            self.height,
            bool(self.notes),
            self.has_marks,
            self.lanes.digest,
        )

    def without_lanes(self) -> Timeline:
        """This timeline with its lanes left out, for a page that has them already."""
        return replace(self, lanes=self.lanes.without_lanes())


def percent(seconds: float, duration: int) -> str:
    """`seconds` as a share of `duration`, in % with enough digits for a 1 px error at 10⁴ px."""
    share = 100 * min(max(seconds, 0), duration) / duration
    return f"{share:.3f}".rstrip("0").rstrip(".")


def episode_duration(
    episode: Episode, last_second: int | None, note_seconds: Iterable[int | None]
) -> int:
    """The episode's length if known, else its last moment (the claims' `last_second`, or
    the latest of the notes' `note_seconds`) plus a margin."""
    if episode.duration_seconds:
        return episode.duration_seconds
    moments = [last_second] if last_second is not None else []
    moments += [seconds for seconds in note_seconds if seconds is not None]
    last = max(moments, default=0)
    return last + max(MARGIN_MIN_SECONDS, round(last * MARGIN_SHARE))


def last_second_of(outlines: list[ArticleOutline]) -> int | None:
    return max((o.last_second for o in outlines if o.last_second is not None), default=None)


def draw_lanes(outlines: list[ArticleOutline], duration: int) -> DrawnLanes:
    """Every article's lane, drawn once for all readers (the notes are drawn apart)."""
    lanes: list[Lane] = []
    notes_y = 0
    for outline in outlines:
        lanes.append(_lane(outline, notes_y, duration))
        notes_y += lanes[-1].height + LANE_GAP
    html = render_to_string("episodes/_timeline.html#lanes", {"lanes": lanes})
    return DrawnLanes(
        html=mark_safe(html),
        duration=duration,
        height=notes_y,
        has_ticks=any(lane.ticks for lane in lanes),
        utf8=(utf8 := html.encode()),
        digest=hashlib.sha256(utf8).hexdigest()[:16],
    )


def build_timeline(
    episode: Episode, lanes: DrawnLanes, annotations: list[Any], reader_id: int | None, marks: str
) -> Timeline:
    """The timeline of the drawn `lanes` and the reader's visible `annotations`.

    `lanes` are drawn for `episode_duration()` of the same notes, whose `marks` are drawn
    (`render_mark` each; apps/pages/episode_pieces.py keeps them). `annotations` may be the
    notes' rows (`NoteRow`).
    """
    timed_notes = [note for note in annotations if note.seconds is not None]
    duration = lanes.duration
    notes_y = lanes.height
    axis_y = notes_y + (NOTE_ROW_HEIGHT if timed_notes else 0)
    return Timeline(
        duration=duration,
        duration_known=bool(episode.duration_seconds),
        lanes=lanes,
        notes=mark_safe(marks),
        notes_y=notes_y,
        axis=[
            _axis_label(share, duration, known=bool(episode.duration_seconds))
            for share in AXIS_SHARES
        ],
        axis_y=axis_y,
        height=axis_y + AXIS_HEIGHT,
    )


def render_mark(note: Any, lanes: DrawnLanes, reader_id: int | None) -> str:
    """A note's mark on the timeline of these lanes (its label costs more than the rest of
    the timeline together, so marks are kept: `mark_key`)."""
    return render_to_string(
        "episodes/_timeline.html#note-mark",
        {"note": _note_mark(note, lanes.duration, reader_id), "notes_y": lanes.height},
    )


def mark_key(row: Any, lanes: DrawnLanes, reader_id: int | None) -> str:
    """Everything of a note's row and the drawing that its mark shows, as a cache key."""
    mine = reader_id is not None and row.author_id == reader_id
    author = hashlib.sha256(row.author_name.encode()).hexdigest()[:12]
    return (
        f"note-mark:{row.pk}:{row.updated.replace(' ', 'T')}:{row.seconds}:{row.end_seconds}"
        f":{row.claim_id}:{int(mine)}:{author}:{lanes.duration}:{lanes.height}"
    )


def _axis_label(share: float, duration: int, *, known: bool) -> AxisLabel:
    """The time at `share` of the axis. Its end is the episode's length once that is known;
    before, it is only where the drawing stops, and reads "≈" so as not to pass for it."""
    text = format_timecode(round(share * duration))
    estimate = share == 1 and not known
    return AxisLabel(
        share=share,
        x=percent(share * duration, duration),
        text=f"\N{ALMOST EQUAL TO}{text}" if estimate else text,
        anchor="start" if share == 0 else "end" if share == 1 else "middle",
        estimate=estimate,
    )


class _Moment(NamedTuple):
    """One timestamp of a claim, in the order the lane reads them."""

    seconds: int
    claim_position: int
    timestamp_position: int
    claim: Claim


class _Run(NamedTuple):
    """Consecutive moments whose claims share a section (or a top-level section)."""

    section_id: int | None
    start: int
    end: int


@dataclass(slots=True)
class _LaneSections:
    """An article's sections as its spans look them up: by id, colour, title path and root."""

    article: Article
    by_pk: dict[int, Section]
    colours: dict[int, int]
    titles: dict[int, str]
    roots: dict[int | None, int | None]

    @classmethod
    def of(cls, article: Article) -> _LaneSections:
        sections: list[Section] = list(article.sections.all())
        return cls(
            article=article,
            by_pk={section.pk: section for section in sections},
            colours={section.pk: index % SECTION_COLOURS for index, section in enumerate(sections)},
            titles=_section_titles(sections),
            roots=_root_sections(sections),
        )

    def root_of(self, claim: Claim) -> int | None:
        return self.roots.get(claim.section_id)


def _lane(outline: ArticleOutline, top: int, duration: int) -> Lane:
    """One article's lane: its chapters band (when sections nest), its sections, its ticks."""
    sections = _LaneSections.of(outline.article)
    claims: list[Claim] = list(outline.article.claims.all())
    moments = _moments(claims)
    nested = any(sections.root_of(moment.claim) != moment.claim.section_id for moment in moments)
    band_top = top + (CHAPTER_HEIGHT + ROW_GAP if nested else 0)
    tick_top = band_top + BAND_HEIGHT + ROW_GAP
    chapters = []
    if nested:
        chapter_runs = _runs(moments, sections.root_of)
        chapters = [_span(run, sections, duration, top, chapter=True) for run in chapter_runs]
    section_runs = _runs(moments, lambda claim: claim.section_id)
    return Lane(
        outline=outline,
        chapters=chapters,
        spans=[_span(run, sections, duration, band_top, chapter=False) for run in section_runs],
        ticks=[_tick(claim, duration) for claim in claims if claim.timestamps.all()],
        band_top=band_top,
        tick_top=tick_top,
        height=tick_top + TICKS_HEIGHT - top,
    )


def _moments(claims: list[Claim]) -> list[_Moment]:
    """Every timestamp of the article's claims, by time (reading order breaks ties)."""
    moments = [
        _Moment(timestamp.seconds, claim.position, timestamp.position, claim)
        for claim in claims
        for timestamp in claim.timestamps.all()
    ]
    moments.sort(key=lambda m: (m.seconds, m.claim_position, m.timestamp_position))
    return moments


def _tick(claim: Claim, duration: int) -> Tick:
    """A claim's tick, at its first timestamp: where pressing the claim seeks."""
    first = claim.timestamps.all()[0].seconds
    return Tick(
        claim=claim,
        seconds=first,
        x=percent(first, duration),
        label=f"Claim at {format_timecode(first)}: {_claim_words(claim)}",
        href=moment_url("", first, claim.anchor),
    )


def _span(run: _Run, sections: _LaneSections, duration: int, y: int, *, chapter: bool) -> Span:
    section_id, start, end = run.section_id, run.start, run.end
    section = sections.by_pk.get(section_id)
    article = sections.article
    width = max(100 * (end - start) / duration, MIN_SPAN_PERCENT)
    title = getattr(section, "title", "") or "Introduction"
    return Span(
        section=section,
        start=start,
        end=end,
        x=percent(start, duration),
        width=f"{width:.3f}",
        y=y,
        height=CHAPTER_HEIGHT if chapter else BAND_HEIGHT,
        chapter=chapter,
        colour=sections.colours.get(section_id, SECTION_COLOURS),
        title=title,
        text=fitted_label(title, width),
        label=(
            f"Section from {format_timecode(start)} to {format_timecode(end)}:"
            f" {sections.titles.get(section_id, 'Introduction')} ({article.title})"
        ),
        href=moment_url("", start, f"s{section_id}" if section_id else article.anchor),
    )


def _runs(moments: list[_Moment], key: Callable[[Claim], int | None]) -> list[_Run]:
    """The runs of consecutive moments whose claims share a section, as `key` names it.

    A run ends where the next begins; the last one at the article's last moment.
    """
    starts: list[tuple[int | None, int]] = []
    for moment in moments:
        section_id = key(moment.claim)
        if not starts or starts[-1][0] != section_id:
            starts.append((section_id, moment.seconds))
    ends = [start for _, start in starts[1:]] + [moments[-1].seconds] if moments else []
    return [
        _Run(section_id, start, end) for (section_id, start), end in zip(starts, ends, strict=True)
    ]


def _root_sections(sections: list[Section]) -> dict[int | None, int | None]:
    """Each section's top-level ancestor (itself when it is one)."""
    by_pk = {section.pk: section for section in sections}
    roots: dict[int | None, int | None] = {None: None}
    for section in sections:
        node, seen = section, set()
        while node.parent_id in by_pk and node.pk not in seen:
            seen.add(node.pk)
            node = by_pk[node.parent_id]
        roots[section.pk] = node.pk
    return roots


def _section_titles(sections: list[Section]) -> dict[int, str]:
    """Each section's title after its parents' ("Challenges > Scaling laws")."""
    by_pk = {section.pk: section for section in sections}
    titles: dict[int, str] = {}
    for section in sections:
        path, node, seen = [], section, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            if node.title:
                path.append(node.title)
            node = by_pk.get(node.parent_id)
        titles[section.pk] = SECTION_PATH_SEPARATOR.join(reversed(path)) or "Introduction"
    return titles


def fitted_label(title: str, width_percent: float) -> str:
    """`title` cut after a whole word, with an ellipsis, to fit a span `width_percent` wide
    at LABEL_REFERENCE_PX; empty when not even one word fits (the span's tip names it)."""
    room = (width_percent / 100 * LABEL_REFERENCE_PX - LABEL_PADDING_PX) / LABEL_CHAR_PX
    if len(title) <= room:
        return title
    words = title.split()
    for count in range(len(words) - 1, 0, -1):
        cut = " ".join(words[:count]).rstrip(LABEL_TRAILING)
        if cut and len(cut) + 1 <= room:
            return cut + ELLIPSIS
    return ""


def _claim_words(claim: Claim) -> str:
    words = f"{claim.label}: {claim.text}" if claim.label else claim.text
    return short_label(" ".join(words.split()))


def short_label(text: str) -> str:
    """`text` cut to `LABEL_CHARS` characters as Truncator cuts it."""
    # Truncator returns a short NFC text as it is, but slowly: a mark per note and claim.
    if len(text) <= LABEL_CHARS and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(LABEL_CHARS)


def _note_mark(note: Any, duration: int, reader_id: int | None) -> NoteMark:
    mine = reader_id is not None and note.author_id == reader_id
    who = "Your note" if mine else f"Public note by {note.author.get_username()}"
    end = getattr(note, "end_seconds", None)
    when = f"at {format_timecode(note.seconds)}"
    if end is not None:
        when = f"from {format_timecode(note.seconds)} to {format_timecode(end)}"
    body = short_label(" ".join(note.body.split()))
    # A bookmark has no words yet: it reads as what it is, "Marked at 12:34".
    label = f"{who} {when}: {body}" if body else f"Marked {when}"
    if not body and not mine:
        label += f" by {note.author.get_username()}"
    # Not note.place_anchor: that reads note.claim, a query per note.
    place = Claim.anchor_for(note.claim_id) if note.claim_id else note.anchor
    x = percent(note.seconds, duration)
    width = None
    if end is not None:
        width = f"{float(percent(end, duration)) - float(x):.3f}".rstrip("0").rstrip(".")
    return NoteMark(
        annotation=note,
        seconds=note.seconds,
        x=x,
        mine=mine,
        label=label,
        href=moment_url("", note.seconds, place),
        end_seconds=end,
        width=width,
    )

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

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.text import Truncator

from apps.episodes.models import Claim, Episode, Section
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
# article with nested sections adds a thinner band of its top-level sections on top.
CHAPTER_HEIGHT = 13
BAND_HEIGHT = 18
TICKS_HEIGHT = 14
ROW_GAP = 2
LANE_GAP = 4
NOTE_ROW_HEIGHT = 18
AXIS_HEIGHT = 16


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


@dataclass(slots=True)
class AxisLabel:
    share: float
    x: str
    text: str
    anchor: str  # SVG text-anchor: the ends stay inside the box


@dataclass(slots=True)
class Lane:
    outline: ArticleOutline
    chapters: list[Span]  # top-level sections, when the article nests its sections
    spans: list[Span]  # the sections that own the claims
    ticks: list[Tick]
    band_top: int
    tick_top: int
    height: int


@dataclass(slots=True)
class Timeline:
    duration: int
    duration_known: bool
    lanes: list[Lane]
    notes: list[NoteMark]
    notes_y: int
    axis: list[AxisLabel]
    axis_y: int
    height: int

    @property
    def has_marks(self) -> bool:
        return bool(self.notes) or any(lane.ticks for lane in self.lanes)


def percent(seconds: float, duration: int) -> str:
    """`seconds` as a share of `duration`, in % with enough digits for a 1 px error at 10⁴ px."""
    share = 100 * min(max(seconds, 0), duration) / duration
    return f"{share:.3f}".rstrip("0").rstrip(".")


def episode_duration(episode: Episode, outlines: list[ArticleOutline], notes: list[Any]) -> int:
    """The episode's length if known, else its last noted moment plus a margin."""
    if episode.duration_seconds:
        return episode.duration_seconds
    moments = [o.last_second for o in outlines if o.last_second is not None]
    moments += [note.seconds for note in notes if note.seconds is not None]
    last = max(moments, default=0)
    return last + max(MARGIN_MIN_SECONDS, round(last * MARGIN_SHARE))


def build_timeline(
    episode: Episode, outlines: list[ArticleOutline], annotations: list[Any], reader_id: int | None
) -> Timeline:
    """The timeline of `outlines` and the reader's visible `annotations`."""
    timed_notes = [note for note in annotations if note.seconds is not None]
    duration = episode_duration(episode, outlines, timed_notes)
    lanes: list[Lane] = []
    notes_y = 0
    for outline in outlines:
        lanes.append(_lane(outline, notes_y, duration))
        notes_y += lanes[-1].height + LANE_GAP
    axis_y = notes_y + (NOTE_ROW_HEIGHT if timed_notes else 0)
    return Timeline(
        duration=duration,
        duration_known=bool(episode.duration_seconds),
        lanes=lanes,
        notes=[_note_mark(note, duration, reader_id) for note in timed_notes],
        notes_y=notes_y,
        axis=[
            AxisLabel(
                share=share,
                x=percent(share * duration, duration),
                text=format_timecode(round(share * duration)),
                anchor="start" if share == 0 else "end" if share == 1 else "middle",
            )
            for share in AXIS_SHARES
        ],
        axis_y=axis_y,
        height=axis_y + AXIS_HEIGHT,
    )


def _lane(outline: ArticleOutline, top: int, duration: int) -> Lane:
    article = outline.article
    claims: list[Claim] = list(article.claims.all())
    sections: list[Section] = list(article.sections.all())
    by_pk = {section.pk: section for section in sections}
    colours = {section.pk: index % SECTION_COLOURS for index, section in enumerate(sections)}
    titles = _section_titles(sections)
    roots = _root_sections(sections)

    ticks: list[Tick] = []
    moments: list[tuple[int, int, int, Claim]] = []
    for claim in claims:
        timestamps = list(claim.timestamps.all())
        if not timestamps:
            continue
        first = timestamps[0].seconds
        ticks.append(
            Tick(
                claim=claim,
                seconds=first,
                x=percent(first, duration),
                label=f"Claim at {format_timecode(first)}: {_claim_words(claim)}",
                href=f"?t={first}#{claim.anchor}",
            )
        )
        moments.extend((ts.seconds, claim.position, ts.position, claim) for ts in timestamps)
    moments.sort(key=lambda moment: moment[:3])

    def spans(key: Callable[[Claim], int | None], y: int, *, chapter: bool) -> list[Span]:
        return [
            Span(
                section=by_pk.get(section_id),
                start=start,
                end=end,
                x=percent(start, duration),
                width=f"{max(100 * (end - start) / duration, MIN_SPAN_PERCENT):.3f}",
                y=y,
                height=CHAPTER_HEIGHT if chapter else BAND_HEIGHT,
                chapter=chapter,
                colour=colours.get(section_id, SECTION_COLOURS),
                title=getattr(by_pk.get(section_id), "title", "") or "Introduction",
                label=(
                    f"Section from {format_timecode(start)} to {format_timecode(end)}:"
                    f" {titles.get(section_id, 'Introduction')} ({article.title})"
                ),
                href=f"?t={start}#{f's{section_id}' if section_id else article.anchor}",
            )
            for section_id, start, end in _runs(moments, key)
        ]

    nested = any(roots.get(claim.section_id) != claim.section_id for *_, claim in moments)
    chapters = spans(lambda claim: roots.get(claim.section_id), top, chapter=True) if nested else []
    band_top = top + (CHAPTER_HEIGHT + ROW_GAP if nested else 0)
    tick_top = band_top + BAND_HEIGHT + ROW_GAP
    return Lane(
        outline=outline,
        chapters=chapters,
        spans=spans(lambda claim: claim.section_id, band_top, chapter=False),
        ticks=ticks,
        band_top=band_top,
        tick_top=tick_top,
        height=tick_top + TICKS_HEIGHT - top,
    )


def _runs(
    moments: list[tuple[int, int, int, Claim]], key: Callable[[Claim], int | None]
) -> list[tuple[int | None, int, int]]:
    """(section, start, end) for each run of consecutive moments whose claims share a section.

    A run ends where the next begins; the last one at the article's last moment.
    """
    starts: list[tuple[int | None, int]] = []
    for seconds, *_, claim in moments:
        section_id = key(claim)
        if not starts or starts[-1][0] != section_id:
            starts.append((section_id, seconds))
    ends = [start for _, start in starts[1:]] + [moments[-1][0]] if moments else []
    return [(section_id, start, end) for (section_id, start), end in zip(starts, ends, strict=True)]


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


def _claim_words(claim: Claim) -> str:
    words = f"{claim.label}: {claim.text}" if claim.label else claim.text
    return Truncator(" ".join(words.split())).chars(LABEL_CHARS)


def _note_mark(note: Any, duration: int, reader_id: int | None) -> NoteMark:
    mine = reader_id is not None and note.author_id == reader_id
    who = "Your note" if mine else f"Public note by {note.author.get_username()}"
    body = Truncator(" ".join(note.body.split())).chars(LABEL_CHARS)
    return NoteMark(
        annotation=note,
        seconds=note.seconds,
        x=percent(note.seconds, duration),
        mine=mine,
        label=f"{who} at {format_timecode(note.seconds)}: {body}",
        # Not note.place_anchor: that reads note.claim, a query per note.
        href=f"?t={note.seconds}#{f'c{note.claim_id}' if note.claim_id else note.anchor}",
    )

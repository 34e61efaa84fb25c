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

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import Truncator

from .models import Claim, Episode, Section
from .outline import ArticleOutline
from .timecode import format_timecode

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

# Vertical layout in px: each lane is a band of section spans above a row of claim ticks.
LANE_HEIGHT = 36
BAND_HEIGHT = 18
TICK_TOP = 20
NOTE_ROW_HEIGHT = 18
AXIS_HEIGHT = 16


@dataclass(slots=True)
class Span:
    section: Section | None  # None for claims before the article's first heading
    start: int
    end: int
    x: str
    width: str
    colour: int
    title: str
    label: str
    href: str


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
    top: int
    spans: list[Span] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)

    @property
    def tick_top(self) -> int:
        return self.top + TICK_TOP


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
    lanes = [_lane(outline, i * LANE_HEIGHT, duration) for i, outline in enumerate(outlines)]
    notes_y = len(lanes) * LANE_HEIGHT
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
    lane = Lane(outline=outline, top=top)
    claims: list[Claim] = list(outline.article.claims.all())
    sections: list[Section] = list(outline.article.sections.all())
    colours = {section.pk: index % SECTION_COLOURS for index, section in enumerate(sections)}
    titles = _section_titles(sections)

    moments: list[tuple[int, int, int, Claim]] = []
    for claim in claims:
        timestamps = list(claim.timestamps.all())
        if not timestamps:
            continue
        first = timestamps[0].seconds
        lane.ticks.append(
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

    # Runs of consecutive moments (in time) that belong to one section.
    runs: list[tuple[int | None, int]] = []
    for seconds, _, _, claim in moments:
        if not runs or runs[-1][0] != claim.section_id:
            runs.append((claim.section_id, seconds))
    ends = [start for _, start in runs[1:]] + [moments[-1][0]] if moments else []
    by_pk = {section.pk: section for section in sections}
    for (section_id, start), end in zip(runs, ends, strict=True):
        section = by_pk.get(section_id)
        title = titles.get(section_id, "Introduction")
        share = 100 * (end - start) / duration
        lane.spans.append(
            Span(
                section=section,
                start=start,
                end=end,
                x=percent(start, duration),
                width=f"{max(share, MIN_SPAN_PERCENT):.3f}",
                colour=colours.get(section_id, SECTION_COLOURS),
                title=section.title if section and section.title else title,
                label=(
                    f"Section {title}, {format_timecode(start)} to {format_timecode(end)}"
                    f" ({outline.article.title})"
                ),
                href=f"?t={start}#{f's{section_id}' if section_id else outline.article.anchor}",
            )
        )
    return lane


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

"""An episode's chapters, and the two files players read them from: WebVTT and JSON chapters.

Which sections become chapters: an episode's articles are topics, each spanning much of the
video, so a chapter is a *section*: the top-level sections of every article, merged in time
order. (An article whose whole body sits under one heading gives its subsections instead, so
it still contributes its parts; its own claims before them keep the heading's title.) The
untitled opening of an article, when it has timestamps, is a chapter titled by the article.

- A section starts at its first timestamp in reading order, subsections included. A section
  with no timestamp names no moment and is skipped (merging it into a neighbour would be a
  guess, as articles interleave).
- Two sections starting at the same second make one chapter: the first in page order wins.
- A chapter ends where the next begins, so chapters are ordered and never overlap. The last
  ends at the episode's duration when known, else a margin after the last timestamp.

The builders read outlines already prefetched for the page (`build_outlines`), so they run
no query; `arrange_chapters`, `webvtt` and `json_chapters` are pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from apps.episodes.outline import ArticleOutline, ClaimNode, SectionNode

# How long the last chapter runs past the last timestamp when the duration is unknown.
LAST_CHAPTER_MARGIN_SECONDS = 60
JSON_CHAPTERS_VERSION = "1.2.0"
JSON_CHAPTERS_CONTENT_TYPE = "application/json+chapters"
WEBVTT_CONTENT_TYPE = "text/vtt; charset=utf-8"


@dataclass(frozen=True, slots=True)
class ChapterStart:
    """A section that names a moment: where a chapter may begin."""

    start: int
    title: str
    anchor: str  # the id of the section (or article) on the episode page


@dataclass(frozen=True, slots=True)
class Chapter:
    start: int
    end: int
    title: str
    anchor: str


def episode_chapters(
    outlines: Iterable[ArticleOutline], *, duration_seconds: int | None = None
) -> list[Chapter]:
    """The chapters of an episode from its articles' outlines, as the module docstring says."""
    starts: list[ChapterStart] = []
    last_moment: int | None = None
    for outline in outlines:
        for seconds in _all_seconds(outline.sections):
            last_moment = seconds if last_moment is None else max(last_moment, seconds)
        for node, with_subsections in _chapter_sections(outline.sections):
            start = _first_second(node, with_subsections=with_subsections)
            if start is None:
                continue
            if node.title:
                starts.append(ChapterStart(start, node.title, f"s{node.section.pk}"))
            else:
                starts.append(ChapterStart(start, outline.article.title, outline.article.anchor))
    return arrange_chapters(starts, last_moment=last_moment, duration_seconds=duration_seconds)


def arrange_chapters(
    starts: Iterable[ChapterStart],
    *,
    last_moment: int | None = None,
    duration_seconds: int | None = None,
) -> list[Chapter]:
    """Order the starts (page order breaks ties, the first kept) and close each chapter."""
    ordered: list[ChapterStart] = []
    for candidate in sorted(starts, key=lambda chapter_start: chapter_start.start):
        if ordered and ordered[-1].start == candidate.start:
            continue
        if duration_seconds and candidate.start >= duration_seconds:
            break  # a timestamp past the end of the video names no moment of it
        ordered.append(candidate)
    if not ordered:
        return []
    last_start = ordered[-1].start
    if duration_seconds and duration_seconds > last_start:
        final_end = duration_seconds
    else:
        final_end = max(last_moment or 0, last_start) + LAST_CHAPTER_MARGIN_SECONDS
    ends = [following.start for following in ordered[1:]] + [final_end]
    return [
        Chapter(start=item.start, end=end, title=_one_line(item.title), anchor=item.anchor)
        for item, end in zip(ordered, ends, strict=True)
    ]


# WebVTT (https://www.w3.org/TR/webvtt1/)


def webvtt(chapters: Iterable[Chapter]) -> str:
    """A WebVTT file with one cue per chapter, identified by its anchor on the episode page."""
    blocks = ["WEBVTT"]
    for chapter in chapters:
        blocks.append(
            f"{_cue_identifier(chapter.anchor)}\n"
            f"{vtt_timestamp(chapter.start)} --> {vtt_timestamp(chapter.end)}\n"
            f"{_cue_text(chapter.title)}"
        )
    return "\n\n".join(blocks) + "\n"


def vtt_timestamp(seconds: int) -> str:
    """69 -> "00:01:09.000" (hours always written, so any length of episode reads alike)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.000"


def _cue_text(title: str) -> str:
    # Cue text is markup: "&" and "<" start entities and tags, and ">" is escaped so that no
    # title can spell the "-->" that separates times.
    return title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cue_identifier(anchor: str) -> str:
    return anchor.replace("-->", "--")


# Podcasting 2.0 JSON chapters (podcast-namespace docs/examples/chapters/jsonChapters.md)


def json_chapters(
    chapters: Iterable[Chapter],
    *,
    title: str,
    podcast_name: str | None,
    url_for: Callable[[Chapter], str],
) -> dict:
    """The JSON chapters document: version, episode title, podcast name and the chapters,
    each with its end and a link to that moment on the episode page."""
    document: dict = {"version": JSON_CHAPTERS_VERSION, "title": title}
    if podcast_name:
        document["podcastName"] = podcast_name
    document["chapters"] = [
        {
            "startTime": chapter.start,
            "endTime": chapter.end,
            "title": chapter.title,
            "url": url_for(chapter),
        }
        for chapter in chapters
    ]
    return document


# Walking the outline


def _chapter_sections(roots: list[SectionNode]) -> list[tuple[SectionNode, bool]]:
    """The sections that may start chapters, each with whether its subsections count in it."""
    titled = [node for node in roots if node.title]
    if len(titled) == 1 and titled[0].children:
        lone = titled[0]
        return [
            *((node, True) for node in roots if node is not lone),
            (lone, False),
            *((child, True) for child in lone.children),
        ]
    return [(node, True) for node in roots]


def _first_second(node: SectionNode, *, with_subsections: bool) -> int | None:
    sections = _walk_sections([node]) if with_subsections else iter([node])
    for section in sections:
        for claim_node in _walk_claims(section.claims):
            for timestamp in claim_node.claim.timestamps.all():
                return timestamp.seconds
    return None


def _all_seconds(roots: list[SectionNode]) -> Iterator[int]:
    for section in _walk_sections(roots):
        for claim_node in _walk_claims(section.claims):
            for timestamp in claim_node.claim.timestamps.all():
                yield timestamp.seconds


def _walk_sections(nodes: list[SectionNode]) -> Iterator[SectionNode]:
    """Sections in reading order: each before its subsections."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _walk_claims(nodes: list[ClaimNode]) -> Iterator[ClaimNode]:
    """Claims in reading order: each before its nested claims."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _one_line(text: str) -> str:
    return " ".join(text.split())

"""Timestamps that cannot be right, found for the people who correct them.

Two signs, read section by section in reading order:
- a time past the episode's end (or, its length unknown, at six hours or more);
- a time earlier than the one before it in the same section: the notes run backwards.
Where the `MM:SS:00` slip explains a time (42:34:00 for 42:34), the reading is offered as a
one-click proposal. A time that slip explains does not count as "the one before" for the
next, so one slip is one finding, not two.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from apps.episodes.corrections import implausible, mmss_reading
from apps.episodes.models import Episode, Timestamp

PAST_THE_END = "past the end"
BACKWARDS = "runs backwards"

_COLUMNS = (
    "id",
    "claim_id",
    "seconds",
    "claim__article_id",
    "claim__section_id",
    "episode_id",
    "episode__duration_seconds",
)


@dataclass(slots=True)
class Finding:
    timestamp_id: int
    claim_id: int
    episode_id: int
    seconds: int
    why: str  # PAST_THE_END or BACKWARDS
    duration: int | None
    previous: int | None  # the time before it in its section, for BACKWARDS
    suggestion: int | None  # the MM:SS:00 reading, where it explains the time
    # Filled in by whoever shows the finding, for the page of findings shown only.
    claim: Any = None
    episode: Any = None


def timestamps_to_review(episodes: QuerySet[Episode] | None = None) -> list[Finding]:
    """Every suspicious timestamp (of `episodes`, or all), in reading order."""
    timestamps = Timestamp.objects.all()
    if episodes is not None:
        timestamps = timestamps.filter(episode__in=episodes)
    rows = timestamps.order_by("claim__article_id", "claim__position", "position").values_list(
        *_COLUMNS
    )
    return list(_findings(rows.iterator(chunk_size=5000)))


def _findings(rows: Iterator[tuple]) -> Iterator[Finding]:
    previous_by_section: dict[tuple[int, int | None], int] = {}
    for timestamp_id, claim_id, seconds, article_id, section_id, episode_id, duration in rows:
        section = (article_id, section_id)
        previous = previous_by_section.get(section)
        reading = mmss_reading(seconds)
        explained = reading is not None and not implausible(reading, duration)
        if implausible(seconds, duration):
            why = PAST_THE_END
        elif previous is not None and seconds < previous:
            why = BACKWARDS
        else:
            why = None
        if why is not None:
            yield Finding(
                timestamp_id,
                claim_id,
                episode_id,
                seconds,
                why,
                duration,
                previous,
                reading if explained else None,
            )
        previous_by_section[section] = reading if why == PAST_THE_END and explained else seconds

"""An episode's length, as the players of its readers report it.

YouTube's player knows the length once a video loads; the page sends it once. Anyone's
player may (the request is anonymous), so a report is believed only within bounds: it sets a
length that is unknown, and moves a known one by a little at most (players round it
differently), so nobody can stretch or shrink an episode with made-up reports.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.episodes.models import ContentVersion, Episode
from apps.reader.timecode import format_timecode

SHORTEST_DURATION = 1
LONGEST_DURATION = 48 * 3600
# A known length moves by this many seconds, or this share of it when that is more.
TOLERANCE_SECONDS = 5
TOLERANCE_SHARE = 0.02


def duration_report(*, episode: Episode, seconds: int) -> bool:
    """Take a player's report of `episode`'s length; whether the known length changed."""
    if not SHORTEST_DURATION <= seconds <= LONGEST_DURATION:
        raise ValidationError(
            {"seconds": f"A length from 1 second to {format_timecode(LONGEST_DURATION)}."},
            code="out_of_range",
        )
    known = episode.duration_seconds
    if known == seconds:
        return False
    if known and abs(seconds - known) > max(TOLERANCE_SECONDS, known * TOLERANCE_SHARE):
        raise ValidationError(
            {"seconds": f"The episode is known to last {format_timecode(known)}."},
            code="too_far",
        )
    with ContentVersion.changing():
        # The page's length and its timeline come from it: kept pages must follow.
        episode.duration_seconds = seconds
        episode.save(update_fields=["duration_seconds"])
    return True

"""Template helpers for the episode pages."""

from __future__ import annotations

from django import template

from apps.episodes.models import Claim, moment_url
from apps.reader.timecode import format_timecode

register = template.Library()


@register.filter
def timecode(seconds: int | None) -> str:
    """Whole seconds as people read them: 69 -> "1:09", 3723 -> "1:02:03"."""
    if seconds is None or seconds == "":
        return ""
    return format_timecode(int(seconds))


@register.filter
def clip_url(annotation) -> str:
    """The episode page playing a note's range (`?t=&end=`), or from its moment, at its place.

    Its place is worked out from the claim's id, not `place_anchor`, which reads the claim:
    a query per note on a page that lists many.
    """
    place = Claim.anchor_for(annotation.claim_id) if annotation.claim_id else annotation.anchor
    url = moment_url(annotation.episode.get_absolute_url(), annotation.seconds, place)
    if annotation.seconds is None or annotation.end_seconds is None:
        return url
    path, _, fragment = url.partition("#")
    return f"{path}&end={annotation.end_seconds}#{fragment}"

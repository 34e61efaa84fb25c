"""Template helpers for the episode pages."""

from __future__ import annotations

from django import template

from apps.reader.timecode import format_timecode

register = template.Library()


@register.filter
def timecode(seconds: int | None) -> str:
    """Whole seconds as people read them: 69 -> "1:09", 3723 -> "1:02:03"."""
    if seconds is None or seconds == "":
        return ""
    return format_timecode(int(seconds))

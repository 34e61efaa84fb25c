"""Whole seconds to and from the time codes people write. Pure: no Django import.

This is the one place times are formatted; the `timecode` template filter calls it.
"""

from __future__ import annotations

import re

# ASCII digits only: "²" or "٣" pass str.isdigit() and Unicode's \d, but int() refuses some.
_CLOCK = re.compile(r"^\s*(?:([0-9]{1,3}):)?([0-9]{1,2}):([0-9]{1,2})\s*$", re.ASCII)
_UNITS = re.compile(
    r"^\s*(?:([0-9]+)h)?\s*(?:([0-9]+)m)?\s*(?:([0-9]+)s?)?\s*$", re.IGNORECASE | re.ASCII
)
_SECONDS = re.compile(r"[0-9]+", re.ASCII)


def format_timecode(seconds: int) -> str:
    """69 -> "1:09"; 3723 -> "1:02:03"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def parse_clock(value: str) -> int | None:
    """ "00:01:09", "1:09", "1:02:03" or "2241" -> seconds; None when it is not a time."""
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return int(value)
    match = _CLOCK.match(value)
    if not match:
        return None
    hours, minutes, secs = (int(part) if part else 0 for part in match.groups())
    if secs >= 60 or (match.group(1) and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + secs


def parse_offset(value: str) -> int | None:
    """A `?t=` value: "3723", "1h2m3s", "62m", "1:02:03" -> seconds; None when unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    clock = parse_clock(value)
    if clock is not None:
        return clock
    match = _UNITS.match(value)
    if not match or not any(match.groups()):
        return None
    hours, minutes, secs = (int(part) if part else 0 for part in match.groups())
    return hours * 3600 + minutes * 60 + secs

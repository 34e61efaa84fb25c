"""A time as the documents write it, to whole seconds: repaired, or refused, with a warning.

Times are written 00:01:09, 1:09 or 1:02:03, and also broken (02:5:01, 01:00:13:00, 05:21:999),
which `read_time` repairs where it can, or as placeholders (HH:MM:SS), which are skipped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from apps.reader.timecode import format_timecode

if TYPE_CHECKING:
    from apps.reader.inline import InlineContext

TIME = r"\d{1,3}(?::\d{1,3}){1,3}"
PLACEHOLDER = r"(?:HH?|MM?)(?::(?:MM?|SS?)){1,2}"
ONE_TIME = re.compile(rf"{TIME}|{PLACEHOLDER}")


def check_label(shown: str, seconds: int, value: str, line: int, context: InlineContext) -> None:
    """Warn when the time a timestamp shows is not the time it links to (data-t wins)."""
    if is_placeholder(shown):
        return
    label_seconds = read_time(shown)[0]
    if label_seconds is not None and label_seconds != seconds:
        context.warn(
            line, f'timestamp label "{shown}" disagrees with data-t "{value}"; data-t used'
        )


def list_times(written: str, line: int, context: InlineContext) -> list[int]:
    """Seconds of each time in a list or range ("12:34-15:00"); placeholders are skipped."""
    items = ONE_TIME.findall(written)
    placeholders = [item for item in items if is_placeholder(item)]
    for item in placeholders:
        context.warn(line, f'timestamp placeholder "{item}" skipped')
    return read_times([item for item in items if not is_placeholder(item)], line, context)


def read_times(written: list[str], line: int, context: InlineContext) -> list[int]:
    """Seconds of each time that can be read; what was repaired or refused is warned of."""
    times = []
    for item in written:
        seconds, note = read_time(item)
        if note:
            context.warn(line, note)
        if seconds is not None:
            times.append(seconds)
    return times


def read_time(value: str) -> tuple[int | None, str | None]:
    """Seconds of a written time, and a note when it had to be repaired or was refused."""
    # ASCII digits only: "²" passes str.isdigit() but int() refuses it.
    if value.isascii() and value.isdigit():
        return int(value), None
    parts = value.split(":")
    if not (value.isascii() and all(part.isdigit() for part in parts)):
        return None, f'timestamp "{value}" not understood; skipped'
    note = None
    if len(parts) == 4:
        parts = parts[:3]
        note = "has four parts"
    elif len(parts) == 3 and len(parts[2]) == 3:
        # "05:21:999": minutes, seconds and milliseconds.
        parts = parts[:2]
        note = "has milliseconds"
    numbers = [int(part) for part in parts]
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    if note is None and any(number >= 60 for number in numbers[1:]):
        note = "has a field past 59"
    if note:
        return seconds, f'timestamp "{value}" {note}; read as {format_timecode(seconds)}'
    return seconds, None


def is_placeholder(value: str) -> bool:
    """HH:MM:SS and its kin, left by the generator where a time should be."""
    return not value[:1].isdigit()

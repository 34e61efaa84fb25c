"""Whole seconds to and from the time codes people write."""

from __future__ import annotations

import pytest

from apps.reader.timecode import format_timecode, parse_clock, parse_offset


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (9, "0:09"), (69, "1:09"), (3723, "1:02:03"), (36000, "10:00:00"), (-5, "0:00")],
)
def test_format_timecode_shows_hours_only_when_there_are_some(seconds: int, shown: str) -> None:
    assert format_timecode(seconds) == shown


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("00:01:09", 69), ("1:09", 69), (" 1:02:03 ", 3723), ("2241", 2241)],
)
def test_parse_clock_reads_clock_times_and_whole_seconds(written: str, seconds: int) -> None:
    assert parse_clock(written) == seconds


@pytest.mark.parametrize("written", ["1:60", "1:60:00", "abc", ""])
def test_parse_clock_refuses_what_is_no_time(written: str) -> None:
    assert parse_clock(written) is None


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("3723", 3723), ("1h2m3s", 3723), ("62m", 3720), ("45s", 45), ("1h", 3600), ("1:02:03", 3723)],
)
def test_parse_offset_reads_the_forms_of_a_t_parameter(written: str, seconds: int) -> None:
    assert parse_offset(written) == seconds


@pytest.mark.parametrize("written", ["", None, "soon"])
def test_parse_offset_is_none_when_unreadable(written: str | None) -> None:
    assert parse_offset(written) is None


@pytest.mark.parametrize(
    "value", ["\u00b2", "1:0\u00b2", "\u0663", "1:\u0663\u0663", "\u00b2m", "\uff11h"]
)
def test_only_ascii_digits_are_a_time(value) -> None:
    # "²" passes str.isdigit() and "٣" (Arabic-Indic three) Unicode's \d; int() refuses "²".
    assert parse_clock(value) is None
    assert parse_offset(value) is None

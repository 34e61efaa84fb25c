"""Which timestamps the review page lists, read from rows as the database gives them."""

from __future__ import annotations

from apps.episodes.review import BACKWARDS, PAST_THE_END, _findings

# (timestamp id, claim id, seconds, article id, section id, episode id, duration)
H = 3600


def findings(*rows):
    return [(f.timestamp_id, f.why, f.previous, f.suggestion) for f in _findings(iter(rows))]


def test_a_mmss_slip_is_one_finding_with_its_reading_and_not_a_run_backwards() -> None:
    assert findings(
        (1, 1, 41 * 60, 1, 1, 1, None),
        (2, 1, 42 * H + 34 * 60, 1, 1, 1, None),  # 42:34:00
        (3, 2, 43 * 60, 1, 1, 1, None),
    ) == [(2, PAST_THE_END, 41 * 60, 42 * 60 + 34)]


def test_a_time_past_a_known_end_is_listed_with_a_reading_only_where_it_fits() -> None:
    assert findings(
        (1, 1, 2 * H + 10 * 60, 1, 1, 1, 3000),  # 2:10:00 on a 50-minute video: 2:10
        (2, 1, 3100, 1, 1, 1, 3000),  # past the end, and no MM:SS:00 reading
    ) == [(1, PAST_THE_END, None, 130), (2, PAST_THE_END, 130, None)]


def test_runs_backwards_are_found_within_a_section_only() -> None:
    assert findings(
        (1, 1, 100, 1, 1, 1, None),
        (2, 2, 90, 1, 1, 1, None),
        (3, 3, 50, 1, 2, 1, None),  # another section starts afresh
        (4, 4, 10, 2, 1, 1, None),  # another article too
    ) == [(2, BACKWARDS, 100, None)]

"""Timestamps in every form the documents write them, and the segment each marks."""

from __future__ import annotations

import pytest

from apps.reader.times import read_time

from .parsed_tree import stamps, warnings_of
from .reading import article_from_body, parse_article, timestamp_link


def test_glued_timestamps_share_the_segment_before_them() -> None:
    claim = parse_article("timestamps_canonical.md").sections[0].claims[0]

    assert stamps(claim) == [
        (83, "A base model that is well-calibrated"),
        (109, "A base model that is well-calibrated"),
        (121, "It adopts personas"),
        (125, "It adopts personas"),
    ]
    assert claim.text == "A base model that is well-calibrated. It adopts personas and more."


def test_a_timestamp_at_the_start_of_a_claim_has_an_empty_segment() -> None:
    article = article_from_body("* [00:02:37] Opening the first pack.")

    claim = article.sections[0].claims[0]
    assert stamps(claim) == [(157, "")]
    assert claim.text == "Opening the first pack."


def test_data_t_in_minutes_hours_or_whole_seconds() -> None:
    article = parse_article("timestamps_data_t_forms.md")

    assert stamps(article.sections[0].claims[0]) == [
        (754, "Minutes and seconds"),
        (3723, "One-digit hours"),
        (2241, "Whole seconds"),
        (264, "A one-digit field"),
    ]
    assert article.warnings == []


def test_data_t_wins_when_the_label_disagrees() -> None:
    article = parse_article("timestamps_label_disagrees.md")

    assert stamps(article.sections[0].claims[0]) == [(4882, "Half-court tennis")]
    assert warnings_of(article) == [
        (8, 'timestamp label "00:21:22" disagrees with data-t "01:21:22"; data-t used')
    ]


def test_bare_bracketed_times_are_timestamps_and_clock_times_are_not() -> None:
    claim = parse_article("timestamps_bare_brackets.md").sections[0].claims[0]

    assert stamps(claim) == [
        (754, "A bare timestamp"),
        (3300, "Minutes only"),
        (1768, "a list"),
        (1831, "a list"),
    ]
    assert claim.text.endswith("clock time at 3:25 p.m. and a ratio [1:2] stay text.")


def test_markdown_links_with_a_time_as_text_are_timestamps() -> None:
    article = parse_article("timestamps_markdown_links.md")

    assert stamps(article.sections[0].claims[0]) == [
        (176, "Fragment link"),
        (3054, "Odd fragment"),
        (4080, "Empty"),
        (38, "Broken URL"),
        (1260, "Anchor as URL"),
    ]
    assert article.links == []


def test_wiki_links_with_a_time_as_text_are_timestamps_and_links() -> None:
    article = parse_article("timestamps_wiki_links.md")

    assert stamps(article.sections[0].claims[0]) == [
        (378, "Lie detection"),
        (145, "Bracketed"),
        (82, "Referenced"),
        (1615, "Left open"),
        (3239, "Left open"),
    ]
    assert [(link.target_slug, link.text) for link in article.links] == [
        ("ai_alignment_and_safety_concerns", "00:06:18"),
        ("big_techs_role", "00:02:25"),
        ("agi_timelines", "00:01:22"),
    ]
    assert (8, 'unclosed wiki link "[[energy_resources |" dropped') in warnings_of(article)


def test_a_range_gives_both_ends_sharing_one_segment() -> None:
    claim = parse_article("timestamps_ranges.md").sections[0].claims[0]

    assert stamps(claim) == [
        (754, "En dash"),
        (900, "En dash"),
        (754, "Hyphen"),
        (900, "Hyphen"),
        (3604, "Two brackets"),
        (3611, "Two brackets"),
        (911, "In data-t"),
        (924, "In data-t"),
    ]
    video = "tttttttttt7"
    assert claim.html.startswith(
        '<span class="seg" data-segment>En dash '
        f"{timestamp_link(video, 754, '12:34')}\u2013{timestamp_link(video, 900, '15:00')}</span>."
    )
    assert claim.text.endswith("Unbracketed 12:34\u201315:00 stays text.")


def test_placeholders_are_skipped_with_a_warning_unless_the_label_has_the_time() -> None:
    article = parse_article("timestamps_placeholders.md")

    claim = article.sections[0].claims[0]
    assert stamps(claim) == [(42, "A placeholder and skipped; the label saves")]
    assert warnings_of(article) == [
        (8, 'timestamp placeholder "HH:MM:SS" skipped'),
        (8, 'timestamp placeholder "HH:MM:SS" skipped'),
        (8, 'timestamp data-t "HH:MM:SS" unreadable; label read as 0:42'),
    ]


def test_broken_timestamp_tags_are_still_read() -> None:
    article = parse_article("timestamps_broken_tags.md")

    claim = article.sections[0].claims[0]
    assert [(stamp.seconds, stamp.segment, stamp.line) for stamp in claim.timestamps] == [
        (114, "Doubled class", 8),
        (4420, "Cut class", 8),
        (160, "Attribute data", 8),
        (277, "Attribute name", 8),
        (97, "No closing tag", 8),
        (42, "Single quotes", 8),
        (43, "Split over two lines", 9),
        (1260, "Escaped end", 10),
    ]
    assert claim.text == (
        "Doubled class. Cut class. Attribute data. Attribute name. No closing tag. "
        "Single quotes. Split over two lines. Escaped end."
    )
    assert warnings_of(article) == [
        (8, "malformed timestamp tag read as 1:54"),
        (8, "malformed timestamp tag read as 1:13:40"),
        (8, "malformed timestamp tag read as 2:40"),
        (8, "malformed timestamp tag read as 4:37"),
        (8, "malformed timestamp tag read as 1:37"),
        (10, "malformed timestamp tag read as 21:00"),
    ]


def test_out_of_range_times_are_repaired_or_skipped_with_a_warning() -> None:
    article = parse_article("timestamps_out_of_range.md")

    claim = article.sections[0].claims[0]
    assert stamps(claim) == [
        (13920, "Sixty seconds"),
        (3613, "Four parts"),
        (321, "Milliseconds"),
    ]
    assert claim.text == "Sixty seconds. Four parts. Milliseconds. Nonsense."
    assert warnings_of(article) == [
        (8, 'timestamp "03:51:60" has a field past 59; read as 3:52:00'),
        (8, 'timestamp "01:00:13:00" has four parts; read as 1:00:13'),
        (8, 'timestamp "05:21:999" has milliseconds; read as 5:21'),
        (8, 'timestamp "soon" not understood; skipped'),
    ]


@pytest.mark.parametrize("written", ["\u00b2", "01:0\u00b2:03"])
def test_a_superscript_digit_is_no_time(written: str) -> None:
    # "²" passes str.isdigit() but int() refuses it: it failed the whole document.
    seconds, warning = read_time(written)
    assert seconds is None
    assert warning == f'timestamp "{written}" not understood; skipped'

"""prepare_article: a parsed article flattened into the rows the importer writes."""

from __future__ import annotations

import pickle

from apps.reader import (
    ClaimRow,
    LinkRow,
    SearchWords,
    SectionRow,
    TimestampRow,
    parse_document,
    prepare_article,
)
from apps.reader.prepared import claim_key

from .reading import article_from_body

BODY = """Summary [00:00:05].

## One

- **Point**: first [[a_target | linked]] [00:01:00] and [00:01:30].
  - nested
- first [00:01:00].

### Two

Same.

Same.
"""


def test_sections_are_rows_in_document_order_with_their_parent_position() -> None:
    prepared = prepare_article(article_from_body(BODY))

    assert prepared.sections == [
        SectionRow(parent=None, level=0, title="", depth=0),
        SectionRow(parent=None, level=2, title="One", depth=0),
        SectionRow(parent=1, level=3, title="Two", depth=1),
    ]


def test_claims_name_their_section_and_parent_claim_by_position() -> None:
    prepared = prepare_article(article_from_body(BODY))

    assert [
        (row.section, row.parent, row.kind, row.label, row.text, row.depth)
        for row in prepared.claims
    ] == [
        (0, None, "paragraph", "", "Summary.", 0),
        (1, None, "item", "Point", "first linked.", 0),
        (1, 1, "item", "", "nested", 1),
        (1, None, "item", "", "first.", 0),
        (2, None, "paragraph", "", "Same.", 0),
        (2, None, "paragraph", "", "Same.", 0),
    ]
    assert isinstance(prepared.claims[0], ClaimRow)


def test_claims_that_say_the_same_thing_get_numbered_keys() -> None:
    prepared = prepare_article(article_from_body(BODY))

    same_key = claim_key("", "Same.")
    assert [row.key for row in prepared.claims[-2:]] == [same_key, f"{same_key}-2"]
    assert prepared.claims[1].key == claim_key("Point", "first linked.")


def test_timestamps_name_their_claim_by_position_in_their_order_and_their_line() -> None:
    prepared = prepare_article(article_from_body(BODY))

    assert prepared.timestamps == [
        TimestampRow(claim=0, seconds=5, segment="Summary", position=0, line=8),
        TimestampRow(claim=1, seconds=60, segment="first linked", position=0, line=12),
        TimestampRow(claim=1, seconds=90, segment="first linked", position=1, line=12),
        TimestampRow(claim=3, seconds=60, segment="first", position=0, line=14),
    ]


def test_search_words_and_links_come_with_the_rows() -> None:
    article = article_from_body(BODY)

    prepared = prepare_article(article)

    assert prepared.search[:3] == [
        SearchWords(label="", text="summary"),
        SearchWords(label="point", text="first linked"),
        SearchWords(label="", text="nested"),
    ]
    assert len(prepared.search) == len(prepared.claims)
    assert prepared.links == [LinkRow(target_slug="a_target", text="linked")]
    assert (prepared.title, prepared.slug, prepared.video_id) == (
        "A test article",
        "a_test_article",
        "abcdefghijk",
    )
    assert prepared.warnings is article.warnings


def test_a_prepared_article_crosses_processes_with_its_rows_named() -> None:
    prepared = prepare_article(
        parse_document(
            "---\ntitle: T\nvideoId: abcdefghijk\n---\n## One\n"
            '- **A:** first <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>\n'
            "  - nested [[other | Other]]\n",
            path="t.md",
        )
    )

    received = pickle.loads(pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))

    assert received == prepared
    assert received.claims[1].parent == 0
    assert received.timestamps[0].seconds == 69
    assert received.links[0].target_slug == "other"
    assert [
        type(row) for row in (received.sections[0], received.claims[0], received.search[0])
    ] == [
        SectionRow,
        ClaimRow,
        SearchWords,
    ]

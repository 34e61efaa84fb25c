"""Block structure: lists, quotes, tables, code, raw HTML and the repairs before reading."""

from __future__ import annotations

from .parsed_tree import all_claims, stamps, warnings_of
from .reading import article_from_body, parse_article, timestamp_link


def test_list_items_nest_by_indentation_three_levels_deep() -> None:
    article = parse_article("lists.md")

    top, dash, plus, idea = article.sections[0].claims
    nested, second_nested, indented_paragraph = top.children
    assert [child.text for child in nested.children] == [
        "Third level, ordered",
        "Third level, other marker",
    ]
    assert [claim.kind for claim in nested.children] == ["item", "item"]
    assert second_nested.text == "Second nested item"
    assert (indented_paragraph.kind, indented_paragraph.text) == (
        "paragraph",
        "A paragraph indented under the top item.",
    )
    assert [(dash.text, dash.kind), (plus.text, plus.kind)] == [
        ("Dash item", "item"),
        ("Plus item", "item"),
    ]
    assert idea.label == "Idea Generation"


def test_lazy_continuation_line_belongs_to_the_item_above() -> None:
    article = parse_article("lists.md")

    top = article.sections[0].claims[0]
    assert top.text == "Top item lazy continuation of the top item"
    assert [(stamp.seconds, stamp.segment, stamp.line) for stamp in top.timestamps] == [
        (60, "Top item", 8),
        (65, "lazy continuation of the top item", 9),
    ]


def test_empty_list_item_is_skipped_with_a_warning() -> None:
    article = parse_article("lists.md")

    assert warnings_of(article) == [(18, "empty list item skipped")]


def test_quote_paragraphs_are_quote_claims_and_lazy_lines_continue_them() -> None:
    claims = parse_article("callouts.md").sections[0].claims

    paragraph, item = claims[5:]
    assert (paragraph.kind, paragraph.text, paragraph.line) == (
        "quote",
        "A plain quote lazily continued.",
        19,
    )
    assert (item.kind, item.text) == ("item", "a list item in a quote")


def test_table_body_rows_are_paragraph_claims_with_cells_joined() -> None:
    article = parse_article("tables.md")

    location, jets = article.sections[0].claims
    assert (location.kind, location.line, location.text) == (
        "paragraph",
        10,
        "Location — Center of M87 — Milky Way",
    )
    assert stamps(location) == [(10, "Location — Center of M87"), (230, "Milky Way")]
    assert jets.text == "Jets — Prominent jets — Not mentioned"
    assert [(link.target_slug, link.text) for link in article.links] == [("jets_of_m87", "jets")]
    assert article.summary == ""  # a table row is no summary


def test_code_fence_is_kept_as_escaped_code_with_its_timestamp() -> None:
    code = parse_article("code_and_tex.md").sections[0].claims[0]

    assert (code.kind, code.text, code.line) == ("paragraph", "S = A / (4G)", 8)
    assert [(stamp.seconds, stamp.line) for stamp in code.timestamps] == [(7491, 9)]
    assert code.html == (
        '<span class="seg" data-segment><code>S = A / (4G) </code>'
        f"{timestamp_link('aaaaaaaab2a', 7491, '2:04:51')}</span>"
    )


def test_admonition_fence_reads_like_a_callout() -> None:
    admonition = parse_article("code_and_tex.md").sections[0].claims[1]

    assert (admonition.kind, admonition.label) == ("quote", "An admonition")
    assert stamps(admonition) == [(188, '"A quote in an admonition fence."')]


def test_tex_block_keeps_its_timestamp() -> None:
    tex = parse_article("code_and_tex.md").sections[0].claims[2]

    assert (tex.text, stamps(tex)) == ("E = mc^2", [(300, "E = mc^2")])


def test_unclosed_code_fence_is_ignored_with_a_warning() -> None:
    article = parse_article("code_and_tex.md")

    assert article.sections[0].claims[-1].text == "never closed"
    assert warnings_of(article) == [(21, "unclosed code fence ignored")]


def test_horizontal_rules_and_blank_lines_make_no_claims() -> None:
    article = article_from_body("First.\n\n---\n\n***\n\nSecond.")

    assert [claim.text for claim in article.sections[0].claims] == ["First.", "Second."]


def test_markdown_fence_around_the_body_is_removed_and_inner_code_kept() -> None:
    article = parse_article("markdown_fence_wrapper.md")

    assert warnings_of(article) == [(8, "leaked ```markdown fence around the body removed")]
    assert article.summary == "The wrapped summary."
    wrapped = article.sections[1]
    assert (wrapped.title, wrapped.line) == ("Wrapped heading", 11)
    code, after, outside = wrapped.claims
    assert code.text == 'print("inner code")'
    assert [(stamp.seconds, stamp.line) for stamp in code.timestamps] == [(14, 14)]
    assert (after.text, outside.text) == ("After the inner code.", "Text after the wrapper.")


def test_raw_html_is_reduced_to_its_text_and_keeps_timestamps() -> None:
    article = parse_article("raw_html.md")

    title, evidence, not_heading, paragraph_stamp, quote = article.sections[0].claims
    assert title.text == "Key Points"
    assert (evidence.label, stamps(evidence)) == ("Forensic Evidence", [(364, "photos")])
    assert not_heading.text == "Not a heading"
    assert (paragraph_stamp.line, stamps(paragraph_stamp)) == (14, [(13860, "")])
    assert (quote.kind, quote.text) == ("quote", '"I think this could be the next bone broth."')
    assert len(article.sections) == 1  # the indented "####" inside the div opened nothing
    assert warnings_of(article) == [
        (8, "raw HTML <div> reduced to its text"),
        (14, "raw HTML <p> reduced to its text"),
        (17, "raw HTML <script> skipped"),
    ]
    assert "gone" not in " ".join(claim.text for claim in all_claims(article))

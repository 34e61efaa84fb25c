"""An article's body: the From line, sections, callout titles and the summary."""

from __future__ import annotations

from apps.reader import parse_document

from .parsed_tree import all_claims, stamps, warnings_of
from .reading import article_from_body, parse_article


def test_from_line_gives_the_channel_slug_and_name() -> None:
    article = parse_article("article_structure.md")

    assert (article.channel_slug, article.channel_name) == ("dwarkesh", "The Dwarkesh Podcast")
    assert "From" not in " ".join(claim.text for claim in all_claims(article))


def test_from_line_without_a_name_uses_the_slug_and_its_glued_paragraph_is_a_claim() -> None:
    article = parse_article("front_matter_quoted.md")

    assert (article.channel_slug, article.channel_name) == ("channel_one", "channel_one")
    first = article.sections[0].claims[0]
    assert (first.line, first.text) == (8, "The paragraph glued to the From line.")


def test_text_after_the_from_line_on_the_same_line_is_a_claim() -> None:
    text = "---\ntitle: T\nvideoId: abcdefghijk\n---\nFrom: [[ch]] <br/> Glued text [00:00:05]."

    article = parse_document(text, path="x.md")

    assert article.channel_slug == "ch"
    assert stamps(article.sections[0].claims[0]) == [(5, "Glued text")]


def test_leaked_preamble_after_the_from_line_is_skipped() -> None:
    article = parse_article("leaked_preamble.md")

    assert warnings_of(article) == [
        (7, 'generator preamble "Here is the article with the backlinks embedded:" skipped')
    ]
    assert article.summary == "The real first paragraph."
    assert article.sections[0].claims[0].line == 9


def test_headings_nest_by_level_even_when_levels_are_skipped() -> None:
    article = parse_article("article_structure.md")

    untitled, top = article.sections
    assert (untitled.title, untitled.level, untitled.line) == (None, 0, 8)
    assert (top.title, top.level) == ("Top level", 1)
    second, another = top.children
    assert [(s.title, s.level) for s in second.children] == [("Third level", 3)]
    assert (another.title, another.level) == ("Another second level", 2)
    assert [(s.title, s.level, s.line) for s in another.children] == [
        ("Deepest after a skip", 6, 17)
    ]
    assert [claim.text for claim in another.children[0].claims] == ["Under the deepest heading."]


def test_no_untitled_section_when_nothing_comes_before_the_first_heading() -> None:
    article = parse_article("headings_with_timestamps.md")

    assert [section.title for section in article.sections] == [
        "Initial Statements",
        "Police Interrogation of Michael",
    ]
    assert article.summary == ""


def test_heading_timestamp_becomes_the_first_claim_of_its_section() -> None:
    article = parse_article("headings_with_timestamps.md")

    section = article.sections[0]
    heading_claim, first = section.claims
    assert (heading_claim.kind, heading_claim.text, heading_claim.line) == (
        "paragraph",
        "Initial Statements",
        8,
    )
    assert stamps(heading_claim) == [(9, "Initial Statements")]
    assert stamps(first) == [(20, "The first claim of the section")]


def test_heading_text_is_plain_and_its_links_are_recorded() -> None:
    article = parse_article("headings_with_timestamps.md")

    assert article.sections[1].title == "Police Interrogation of Michael"
    assert article.sections[1].claims == []
    assert [(link.target_slug, link.text, link.line) for link in article.links] == [
        ("police_interrogation", "Police Interrogation", 10)
    ]


def test_callout_title_becomes_the_label_of_its_first_claim() -> None:
    article = parse_article("callouts.md")

    claim = article.sections[0].claims[0]
    assert (claim.kind, claim.label, claim.text, claim.line) == (
        "quote",
        "Ethical Vacuum",
        "The callout body.",
        9,
    )
    assert stamps(claim) == [(120, "The callout body")]
    assert claim.html.startswith("<strong>Ethical Vacuum</strong>: <span")


def test_callout_title_is_a_claim_of_its_own_when_it_cannot_be_a_label() -> None:
    claims = parse_article("callouts.md").sections[0].claims

    untitled, own_title, own_label, title_only = claims[1:5]
    assert (untitled.label, untitled.text) == ("", "A callout without a title.")
    assert (own_title.kind, own_title.text, own_title.line) == ("quote", "Own label wins", 14)
    assert (own_label.label, own_label.text) == ("Label", "the first claim has its own label.")
    assert (title_only.kind, title_only.text, title_only.line) == ("quote", "Title only", 17)


def test_summary_is_cut_on_a_word_within_500_characters() -> None:
    article = article_from_body("word " * 200 + "\n\n## Section")

    assert len(article.summary) <= 500
    assert article.summary.endswith("word…")

"""The front matter: its values, and a line a generator leaked before it."""

from __future__ import annotations

from .parsed_tree import stamps, warnings_of
from .reading import parse_article


def test_quoted_front_matter_values_are_unquoted() -> None:
    article = parse_article("front_matter_quoted.md")

    assert article.title == "Quoted: a title with a colon"
    assert article.video_id == "aaaaaaaaaa2"
    assert article.slug == "quoted_a_title_with_a_colon"


def test_leaked_line_before_the_front_matter_is_skipped() -> None:
    article = parse_article("preamble_before_front_matter.md")

    assert article.title == "Preamble before the front matter"
    assert warnings_of(article) == [
        (1, 'text before the front matter skipped: "Here is the article with backlinks:"')
    ]
    assert stamps(article.sections[0].claims[0]) == [(12, "Body text")]

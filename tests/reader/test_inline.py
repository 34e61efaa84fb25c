"""A block's inline Markdown: labels, emphasis, links, safety, and segment spans."""

from __future__ import annotations

import re

import pytest

from apps.reader import parse_document

from .parsed_tree import all_claims, stamps, warnings_of
from .reading import article_from_body, parse_article, timestamp_link


@pytest.mark.parametrize(
    ("position", "label", "text", "html"),
    [
        (
            0,
            "Objective",
            "colon outside the bold",
            "<strong>Objective</strong>: colon outside the bold",
        ),
        (
            1,
            "Objective",
            "colon inside the bold",
            "<strong>Objective</strong>: colon inside the bold",
        ),
        (2, "Underscored", "underscores", "<strong>Underscored</strong>: underscores"),
        (
            3,
            "",
            "Bold lead-in without a colon is no label",
            "<strong>Bold lead-in</strong> without a colon is no label",
        ),
        (4, "Only a label", "", "<strong>Only a label</strong>:"),
    ],
)
def test_label_is_a_bold_lead_in_ending_with_a_colon(
    position: int, label: str, text: str, html: str
) -> None:
    claim = parse_article("labels.md").sections[0].claims[position]

    assert (claim.label, claim.text, claim.html) == (label, text, html)


def test_item_text_on_the_lines_after_its_label_is_one_claim() -> None:
    article = parse_article("lists.md")

    idea = article.sections[0].claims[-1]
    assert idea.text == "Researchers list ideas. A critical skill."
    assert [(stamp.seconds, stamp.segment, stamp.line) for stamp in idea.timestamps] == [
        (2512, "Researchers list ideas", 21)
    ]
    assert idea.html.startswith(
        '<strong>Idea Generation</strong>: <span class="seg" data-segment>R'
    )


def test_inline_markdown_renders_to_the_allowed_tags() -> None:
    claim = parse_article("inline_markdown.md").sections[0].claims[0]

    assert claim.html == (
        "Plain <strong>bold</strong>, <em>italic</em>, <em>also italic</em>, "
        "<strong><em>both</em></strong>, <code>code &lt;b&gt;</code>, <del>gone</del> "
        "and snake_case_word."
    )
    assert (
        claim.text == "Plain bold, italic, also italic, both, code <b>, gone and snake_case_word."
    )


def test_links_render_as_external_links_or_wiki_link_spans() -> None:
    article = parse_article("inline_markdown.md")

    claim = article.sections[0].claims[1]
    assert claim.html == (
        'Links: <a href="https://example.com/a?b=1&amp;c=2" rel="noopener nofollow">external</a>, '
        '<span class="wikilink" data-target-slug="reinforcement_learning_from_human_feedback_rlhf">'
        "relative</span>, "
        '<span class="wikilink" data-target-slug="wiki_target">wiki text</span>, '
        '<span class="wikilink" data-target-slug="title_case_target">Title Case Target</span>, '
        '<span class="wikilink" data-target-slug="slug_only">slug_only</span>, '
        "anchor and an image."
    )
    assert sorted((link.target_slug, link.text, link.line) for link in article.links) == [
        ("reinforcement_learning_from_human_feedback_rlhf", "relative", 10),
        ("slug_only", "slug_only", 10),
        ("title_case_target", "Title Case Target", 10),
        ("wiki_target", "wiki text", 10),
    ]
    assert warnings_of(article) == [(10, 'image "https://example.com/i.png" shown as its text')]


def test_wiki_link_wrapped_in_backticks_is_still_a_link() -> None:
    article = article_from_body("A `[[habits_of_mind | Habits of Mind]]` link.")

    claim = article.sections[0].claims[0]
    assert claim.html == (
        'A <span class="wikilink" data-target-slug="habits_of_mind">Habits of Mind</span> link.'
    )
    assert [(link.target_slug, link.text) for link in article.links] == [
        ("habits_of_mind", "Habits of Mind")
    ]


def test_escapes_and_emphasis_inside_wiki_link_text_render_without_error() -> None:
    article = parse_document(
        "---\ntitle: T\nvideoId: AAAAAAAAAAA\n---\n\n"
        '*   [[slug | a \\* b *c*]] said <a class="yt-timestamp" data-t="00:00:05">[00:00:05]</a>\n',
        path="escapes.md",
    )

    claim = article.sections[0].claims[0]
    assert '<span class="wikilink" data-target-slug="slug">a * b <em>c</em></span>' in claim.html
    assert [t.seconds for t in claim.timestamps] == [5]
    assert [(link.target_slug, link.text) for link in article.links] == [("slug", "a b c")]


def test_hostile_html_and_urls_never_reach_the_claim_html() -> None:
    article = parse_article("xss.md")

    html = " ".join(claim.html for claim in all_claims(article)).lower()
    for element in ("<script", "<img", "<iframe"):
        assert element not in html
    assert not re.search(r"\son\w+\s*=", html)  # no event handler attribute
    for attribute in ("hx-get", "hx-post", "hx-trigger", "javascript:", "data:", "vbscript:"):
        assert attribute not in html
    assert set(re.findall(r"<(\w+)", html)) <= {"a", "span", "strong", "code"}
    paragraph, links, raw, escaped = article.sections[0].claims
    assert stamps(paragraph) == [(1, "A alert(1) and paragraph")]
    assert links.html == (
        'click data mixed <a href="https://example.com/" rel="noopener nofollow">ok</a>'
    )
    assert raw.html == "raw link span"
    assert escaped.html.startswith("&lt;script&gt;alert(8)&lt;/script&gt; ")
    assert (9, 'link to "javascript:alert(4)" shown as plain text') in warnings_of(article)


def test_glued_timestamps_sit_in_one_span_at_its_end() -> None:
    claim = parse_article("timestamps_canonical.md").sections[0].claims[0]

    video = "tttttttttt1"
    assert claim.html == (
        "<strong>Outcome</strong>: "
        '<span class="seg" data-segment>A base model that is well-calibrated '
        f"{timestamp_link(video, 83, '1:23')}, {timestamp_link(video, 109, '1:49')}</span>. "
        '<span class="seg" data-segment>It adopts personas '
        f"{timestamp_link(video, 121, '2:01')}{timestamp_link(video, 125, '2:05')}</span> and more."
    )


def test_bold_text_around_a_timestamp_is_closed_before_the_link_and_reopened() -> None:
    body = (
        'Some **bold words <a class="yt-timestamp" data-t="00:00:05">[00:00:05]</a> still** after.'
    )

    claim = article_from_body(body).sections[0].claims[0]

    assert claim.html == (
        '<span class="seg" data-segment>Some <strong>bold words </strong>'
        f"{timestamp_link('abcdefghijk', 5, '0:05')}</span><strong> still</strong> after."
    )
    assert stamps(claim) == [(5, "Some bold words")]


def test_other_scripts_keep_their_segments() -> None:
    claim = parse_article("unicode_and_invisible_marks.md").sections[0].claims[0]

    assert stamps(claim) == [(1, "Русский текст"), (2, "中文句子"), (3, "हिन्दी वाक्य")]
    assert claim.text == "Русский текст。中文句子。हिन्दी वाक्य।"

"""parse_document: a whole seed document to plain data. No database: the reader is pure."""

from __future__ import annotations

import pytest

from apps.reader import DocumentError, ParsedArticle, parse_document

from .parsed_tree import stamps
from .reading import FIXTURES, SEED, parse_article, timestamp_link


def test_seed_article_has_its_video_channel_title_and_slug() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    assert isinstance(article, ParsedArticle)
    assert article.video_id == "Wo95ob_s_NI"
    assert article.channel_slug == "dwarkesh"
    assert article.channel_name == "The Dwarkesh Podcast"
    assert article.title == "Challenges and advancements in AI training techniques"
    assert article.slug == "challenges_and_advancements_in_ai_training_techniques"
    assert article.warnings == []


def test_seed_summary_is_the_paragraph_before_the_first_heading() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    assert article.summary.startswith("This article summarizes insights from John Schulman")
    assert article.summary.endswith("emerging advancements, and persistent challenges.")
    assert article.sections[0].title is None
    assert article.sections[0].level == 0


def test_seed_sections_nest_by_heading_level() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    understanding = article.sections[1]
    assert (understanding.title, understanding.level, understanding.line) == (
        "Understanding Pre-training and Post-training",
        2,
        10,
    )
    assert [child.title for child in understanding.children] == [
        "Pre-training",
        "Post-training (Fine-tuning)",
    ]
    assert article.sections[2].title == "Advancements and Future Directions"
    assert article.sections[2].children[0].title == "Long-Horizon Tasks"
    assert [section.title for section in article.sections][-1] == "Conclusion"


def test_seed_first_claim_is_labelled_objective_with_three_timestamps() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    pre_training = article.sections[1].children[0]
    assert pre_training.claims[0].kind == "paragraph"
    objective = pre_training.claims[1]
    assert objective.kind == "item"
    assert objective.label == "Objective"
    assert objective.line == 16
    assert stamps(objective) == [
        (
            69,
            "To imitate the vast content available on the internet, including websites and code",
        ),
        (
            97,
            'The model learns to predict the next "token" (words or parts of words) '
            "given previous tokens",
        ),
        (103, "This is framed as maximizing the log probability of the data"),
    ]
    assert objective.text == (
        "To imitate the vast content available on the internet, including websites and code. "
        'The model learns to predict the next "token" (words or parts of words) given previous '
        "tokens. This is framed as maximizing the log probability of the data."
    )


def test_seed_first_claim_html_has_one_span_per_segment() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    objective = article.sections[1].children[0].claims[1]
    assert objective.html == (
        "<strong>Objective</strong>: "
        '<span class="seg" data-segment>To imitate the vast content available on the internet, '
        f"including websites and code {timestamp_link('Wo95ob_s_NI', 69, '1:09')}</span>. "
        '<span class="seg" data-segment>The model learns to predict the next "token" (words or '
        f"parts of words) given previous tokens {timestamp_link('Wo95ob_s_NI', 97, '1:37')}</span>. "
        '<span class="seg" data-segment>This is framed as maximizing the log probability of the '
        f"data {timestamp_link('Wo95ob_s_NI', 103, '1:43')}</span>."
    )


def test_seed_relative_links_are_recorded_as_wiki_links() -> None:
    article = parse_document(SEED.read_text(encoding="utf-8"), path=str(SEED))

    first = article.links[0]
    assert (first.target_slug, first.text, first.line) == (
        "reinforcement_learning_from_human_feedback_rlhf",
        "You can read more about Reinforcement Learning strategies in AI here",
        22,
    )
    assert len(article.links) == 11


def test_last_line_without_a_newline_is_read() -> None:
    article = parse_article("front_matter_quoted.md")

    last = article.sections[-1].claims[-1]
    assert (last.line, stamps(last)) == (11, [(7, "Last line without a newline")])


def test_crlf_line_endings_keep_line_numbers() -> None:
    text = (FIXTURES / "lists.md").read_text(encoding="utf-8")

    article = parse_document(text.replace("\n", "\r\n"), path="lists.md")

    top = article.sections[0].claims[0]
    assert [(stamp.seconds, stamp.line) for stamp in top.timestamps] == [(60, 8), (65, 9)]
    assert "\r" not in top.html


def test_byte_order_mark_is_ignored() -> None:
    text = "\ufeff" + (FIXTURES / "article_structure.md").read_text(encoding="utf-8")

    assert parse_document(text, path="x.md").title == "Structure of an article"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "the document is empty", 1),
        ("# A heading\n\nNo front matter.", "no front matter: a document starts with ---", 1),
        ("---\ntitle: Never closed\nvideoId: abcdefghijk\n", "the front matter is never closed", 1),
        ("\n---\nvideoId: abcdefghijk\n---\nText", "the front matter has no title", 2),
        ('---\ntitle: ""\n---\n', "the front matter has no title", 2),
        ("---\ntitle: T\nvideoId: too-short\n---\n", "is not an 11-character YouTube id", 3),
        ("---\ntitle: T\nvideoId: abc def ghij\n---\n", "is not an 11-character YouTube id", 3),
        ("---\ntitle: T\nvideoId: VIDEO_ID\n---\n", 'videoId "VIDEO_ID" is a placeholder', 3),
        ("---\ntitle: T\nvideoId: XXXXXXXXXXX\n---\n", "is a placeholder", 3),
        ("---\ntitle: T\nvideoId:\n---\n", "videoId is empty", 3),
        ("---\ntitle: T\n---\n\nFrom: [[ch]]\n\nText", "no videoId in the front matter", 5),
    ],
)
def test_documents_that_cannot_be_imported_raise_document_error(
    text: str, message: str, line: int
) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_document(text, path="broken.md")

    assert message in raised.value.message
    assert raised.value.line == line

"""parse_document: seed documents to plain data. No database: the parser is pure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apps.reader.parsing import (
    DocumentError,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedClaim,
    ParsedDirectory,
    parse_document,
)

from .parsed_tree import walk_claims, walk_sections

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "parsing"
SEED = PROJECT_ROOT / "seeds" / "000_1434835863ade502.txt"


def parse_fixture(name: str) -> ParsedArticle | ParsedChannelIndex | ParsedDirectory:
    path = FIXTURES / name
    return parse_document(path.read_text(encoding="utf-8"), path=str(path))


def parse_article(name: str) -> ParsedArticle:
    article = parse_fixture(name)
    assert isinstance(article, ParsedArticle)
    return article


def article_from_body(body: str, video_id: str = "abcdefghijk") -> ParsedArticle:
    text = f"---\ntitle: A test article\nvideoId: {video_id}\n---\n\nFrom: [[ch]]\n\n{body}"
    article = parse_document(text, path="test.md")
    assert isinstance(article, ParsedArticle)
    return article


def all_claims(article: ParsedArticle) -> list[ParsedClaim]:
    return [
        claim
        for section in walk_sections(article.sections)
        for claim in walk_claims(section.claims)
    ]


def stamps(claim: ParsedClaim) -> list[tuple[int, str]]:
    return [(stamp.seconds, stamp.segment) for stamp in claim.timestamps]


def warnings_of(result: ParsedArticle | ParsedChannelIndex | ParsedDirectory) -> list:
    return [(warning.line, warning.message) for warning in result.warnings]


def timestamp_link(video_id: str, seconds: int, shown: str) -> str:
    return (
        f'<a class="ts" href="https://www.youtube.com/watch?v={video_id}&amp;t={seconds}s" '
        f'data-seconds="{seconds}">{shown}</a>'
    )


# The seed


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


# Front matter and kinds of document


def test_quoted_front_matter_values_are_unquoted() -> None:
    article = parse_article("front_matter_quoted.md")

    assert article.title == "Quoted: a title with a colon"
    assert article.video_id == "aaaaaaaaaa2"
    assert article.slug == "quoted_a_title_with_a_colon"


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


def test_slug_drops_punctuation_and_invisible_marks_and_keeps_other_scripts() -> None:
    article = parse_article("unicode_and_invisible_marks.md")

    assert article.title == "Дом и 文字 — Ünïcode\u200b title"
    assert article.slug == "дом_и_文字_ünïcode_title"


def test_leaked_preamble_after_the_from_line_is_skipped() -> None:
    article = parse_article("leaked_preamble.md")

    assert warnings_of(article) == [
        (7, 'generator preamble "Here is the article with the backlinks embedded:" skipped')
    ]
    assert article.summary == "The real first paragraph."
    assert article.sections[0].claims[0].line == 9


def test_leaked_line_before_the_front_matter_is_skipped() -> None:
    article = parse_article("preamble_before_front_matter.md")

    assert article.title == "Preamble before the front matter"
    assert warnings_of(article) == [
        (1, 'text before the front matter skipped: "Here is the article with backlinks:"')
    ]
    assert stamps(article.sections[0].claims[0]) == [(12, "Body text")]


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


def test_channel_index_lists_episodes_with_their_titles_and_articles() -> None:
    index = parse_fixture("channel_index.md")

    assert isinstance(index, ParsedChannelIndex)
    assert (index.slug, index.title) == ("channel_index", "somechannel")
    first, second = index.episodes
    assert (first.video_id, first.title, first.line) == (
        "GeyDf4ooPdo",
        "First Episode: A Title | With a Pipe",
        4,
    )
    assert first.article_slugs == ["gyroscopic_precession", "physics_of_flywheels"]
    assert (second.video_id, second.title) == ("2OSrvzNW9FE", "Second *Episode* & More")
    assert second.article_slugs == ["gordon_dam_basketball_experiment"]
    assert warnings_of(index) == [(11, "line outside an episode list skipped")]


def test_channel_index_slug_comes_from_the_file_name() -> None:
    text = (FIXTURES / "channel_index.md").read_text(encoding="utf-8")

    index = parse_document(text, path="current/\u2068Veritasium\u2069/Veritasium.md")

    assert index.slug == "veritasium"


def test_directory_lists_channels_with_their_names() -> None:
    directory = parse_fixture("directory.md")

    assert isinstance(directory, ParsedDirectory)
    assert directory.title == "Tubegraph"
    assert directory.channels == [
        ("dwarkeshpatel", "The Dwarkesh Podcast"),
        ("hubermanlab", "Huberman Lab"),
        ("awdii", "awdii"),
    ]
    assert directory.warnings == []


def test_page_without_video_id_or_index_is_a_directory_without_channels() -> None:
    page = parse_fixture("page_with_nothing_to_index.md")

    assert isinstance(page, ParsedDirectory)
    assert (page.title, page.channels) == ("The Dwarkesh Podcast", [])
    assert warnings_of(page) == [(6, "text outside the channel list skipped")]


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


# The From line


def test_from_line_gives_the_channel_slug_and_name() -> None:
    article = parse_article("article_structure.md")

    assert (article.channel_slug, article.channel_name) == ("dwarkesh", "The Dwarkesh Podcast")
    assert "From" not in " ".join(claim.text for claim in all_claims(article))


def test_from_line_without_a_name_uses_the_slug_and_its_glued_paragraph_is_a_claim() -> None:
    article = parse_article("front_matter_quoted.md")

    assert (article.channel_slug, article.channel_name) == ("channel_one", "channel_one")
    first = article.sections[0].claims[0]
    assert (first.line, first.text) == (8, "The paragraph glued to the From line.")


def test_from_line_slug_loses_invisible_marks() -> None:
    article = parse_article("unicode_and_invisible_marks.md")

    assert (article.channel_slug, article.channel_name) == ("channel_name", "Канал")


def test_text_after_the_from_line_on_the_same_line_is_a_claim() -> None:
    text = "---\ntitle: T\nvideoId: abcdefghijk\n---\nFrom: [[ch]] <br/> Glued text [00:00:05]."

    article = parse_document(text, path="x.md")

    assert article.channel_slug == "ch"
    assert stamps(article.sections[0].claims[0]) == [(5, "Glued text")]


# Sections


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


# Claims


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


def test_empty_list_item_is_skipped_with_a_warning() -> None:
    article = parse_article("lists.md")

    assert warnings_of(article) == [(18, "empty list item skipped")]


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


# Timestamps


def test_glued_timestamps_share_the_segment_before_them() -> None:
    claim = parse_article("timestamps_canonical.md").sections[0].claims[0]

    assert stamps(claim) == [
        (83, "A base model that is well-calibrated"),
        (109, "A base model that is well-calibrated"),
        (121, "It adopts personas"),
        (125, "It adopts personas"),
    ]
    assert claim.text == "A base model that is well-calibrated. It adopts personas and more."


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


def test_a_timestamp_at_the_start_of_a_claim_has_an_empty_segment() -> None:
    article = article_from_body("* [00:02:37] Opening the first pack.")

    claim = article.sections[0].claims[0]
    assert stamps(claim) == [(157, "")]
    assert claim.text == "Opening the first pack."


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


# Inline Markdown, links and safety


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


def test_other_scripts_keep_their_segments() -> None:
    claim = parse_article("unicode_and_invisible_marks.md").sections[0].claims[0]

    assert stamps(claim) == [(1, "Русский текст"), (2, "中文句子"), (3, "हिन्दी वाक्य")]
    assert claim.text == "Русский текст。中文句子。हिन्दी वाक्य।"


def test_summary_is_cut_on_a_word_within_500_characters() -> None:
    article = article_from_body("word " * 200 + "\n\n## Section")

    assert len(article.summary) <= 500
    assert article.summary.endswith("word…")


def test_wiki_link_wrapped_in_backticks_is_still_a_link() -> None:
    article = article_from_body("A `[[habits_of_mind | Habits of Mind]]` link.")

    claim = article.sections[0].claims[0]
    assert claim.html == (
        'A <span class="wikilink" data-target-slug="habits_of_mind">Habits of Mind</span> link.'
    )
    assert [(link.target_slug, link.text) for link in article.links] == [
        ("habits_of_mind", "Habits of Mind")
    ]


def test_horizontal_rules_and_blank_lines_make_no_claims() -> None:
    article = article_from_body("First.\n\n---\n\n***\n\nSecond.")

    assert [claim.text for claim in article.sections[0].claims] == ["First.", "Second."]


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

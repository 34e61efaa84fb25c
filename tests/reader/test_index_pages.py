"""Pages with no videoId: channel indexes and directories of channels."""

from __future__ import annotations

from apps.reader import ParsedChannelIndex, ParsedDirectory, parse_document

from .parsed_tree import warnings_of
from .reading import FIXTURES, parse_fixture


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

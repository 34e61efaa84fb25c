from __future__ import annotations

import copy
import html
import itertools
import json
from pathlib import Path

import pytest
import webvtt

from apps.episodes.models import Article, Episode
from apps.episodes.outline import build_outlines
from apps.exports.chapters import (
    LAST_CHAPTER_MARGIN_SECONDS,
    Chapter,
    ChapterStart,
    arrange_chapters,
    episode_chapters,
    vtt_timestamp,
)
from apps.exports.chapters import webvtt as webvtt_text
from tests.episodes.factories import (
    make_article,
    make_channel,
    make_claim,
    make_episode,
    make_section,
)

from .json_chapters_spec import chapters_problems


def chapters_of(episode: Episode) -> list[tuple[int, int, str]]:
    outlines = build_outlines(Article.objects.for_episode_page(episode))
    return [
        (chapter.start, chapter.end, chapter.title)
        for chapter in episode_chapters(outlines, duration_seconds=episode.duration_seconds)
    ]


def add_sections(article: Article, sections: dict[str, list[int]]) -> None:
    """One titled section per entry, holding one claim with those timestamps (if any)."""
    for title, seconds in sections.items():
        section = make_section(article, title=title)
        make_claim(article, section=section, text=f"Said in {title}", seconds=seconds)


# Which sections become chapters, and when


@pytest.mark.django_db
def test_sections_of_every_article_become_chapters_in_time_order() -> None:
    episode = make_episode()
    add_sections(
        make_article(episode, title="First"), {"A late part": [300], "An early part": [30]}
    )
    add_sections(make_article(episode, title="Second"), {"A middle part": [120]})

    assert chapters_of(episode) == [
        (30, 120, "An early part"),
        (120, 300, "A middle part"),
        (300, 300 + LAST_CHAPTER_MARGIN_SECONDS, "A late part"),
    ]


@pytest.mark.django_db
def test_a_section_without_timestamps_is_skipped() -> None:
    episode = make_episode()
    add_sections(make_article(episode), {"Timed": [10], "Untimed": [], "Also timed": [50]})

    assert [title for _, _, title in chapters_of(episode)] == ["Timed", "Also timed"]


@pytest.mark.django_db
def test_a_section_starts_at_its_first_timestamp_in_reading_order_subsections_included() -> None:
    episode = make_episode()
    article = make_article(episode)
    read_first = make_section(article, title="Read first", level=2)
    make_claim(article, section=read_first, text="first", seconds=[90, 40])
    make_claim(article, section=read_first, text="second", seconds=[20])
    only_below = make_section(article, title="Timed only below", level=2)
    below = make_section(article, title="Below", level=3, parent=only_below)
    make_claim(article, section=below, text="deep", seconds=[200])

    assert chapters_of(episode) == [
        (90, 200, "Read first"),
        (200, 200 + LAST_CHAPTER_MARGIN_SECONDS, "Timed only below"),
    ]


@pytest.mark.django_db
def test_sections_starting_at_the_same_second_make_one_chapter_the_first_article_wins() -> None:
    episode = make_episode()
    add_sections(make_article(episode, title="Opens first"), {"Kept": [5], "Later": [60]})
    add_sections(make_article(episode, title="Opens later"), {"Dropped": [60]})

    assert chapters_of(episode) == [
        (5, 60, "Kept"),
        (60, 60 + LAST_CHAPTER_MARGIN_SECONDS, "Later"),
    ]


@pytest.mark.django_db
def test_the_last_chapter_ends_a_margin_after_the_last_timestamp_of_the_episode() -> None:
    episode = make_episode()
    article = make_article(episode)
    early = make_section(article, title="Early")
    make_claim(article, section=early, text="opens", seconds=[10])
    make_claim(article, section=early, text="said much later", seconds=[900])
    add_sections(article, {"Middle": [400]})

    assert chapters_of(episode)[-1] == (400, 900 + LAST_CHAPTER_MARGIN_SECONDS, "Middle")


@pytest.mark.django_db
def test_the_last_chapter_ends_at_the_duration_when_it_is_known() -> None:
    episode = make_episode()
    episode.duration_seconds = 1000
    episode.save()
    add_sections(make_article(episode), {"Only": [100], "Past the end": [1200]})

    assert chapters_of(episode) == [(100, 1000, "Only")]


@pytest.mark.django_db
def test_an_untitled_opening_with_timestamps_is_a_chapter_titled_by_its_article() -> None:
    episode = make_episode()
    article = make_article(episode, title="The article")
    make_claim(article, text="Before any heading", seconds=[3])
    add_sections(article, {"Part": [40]})

    assert chapters_of(episode)[0] == (3, 40, "The article")


@pytest.mark.django_db
def test_an_article_under_one_heading_gives_its_subsections_as_chapters() -> None:
    episode = make_episode()
    article = make_article(episode)
    whole = make_section(article, title="Everything", level=1)
    make_claim(article, section=whole, text="its own words", seconds=[1])
    for title, second in (("Part one", 10), ("Part two", 20)):
        part = make_section(article, title=title, level=2, parent=whole)
        make_claim(article, section=part, text=title, seconds=[second])

    assert [title for _, _, title in chapters_of(episode)] == ["Everything", "Part one", "Part two"]


def test_arranged_chapters_are_ordered_and_never_overlap() -> None:
    starts = [ChapterStart(s, f"at {s}", f"s{s}") for s in (50, 10, 30, 10, 70)]

    chapters = arrange_chapters(starts, last_moment=75)

    assert [(c.start, c.end) for c in chapters] == [(10, 30), (30, 50), (50, 70), (70, 135)]
    assert all(a.end == b.start for a, b in itertools.pairwise(chapters))


def test_vtt_timestamps_always_carry_hours() -> None:
    assert vtt_timestamp(0) == "00:00:00.000"
    assert vtt_timestamp(69) == "00:01:09.000"
    assert vtt_timestamp(3723) == "01:02:03.000"
    assert vtt_timestamp(400_000) == "111:06:40.000"


# The WebVTT file


@pytest.fixture
def two_article_episode(db) -> Episode:
    channel = make_channel(slug="a-channel", name="A Channel")
    episode = make_episode(video_id="chapters001", channel=channel, title="Episode & more")
    add_sections(make_article(episode, title="One"), {"Opening": [15], "Closing": [610]})
    add_sections(make_article(episode, title="Two"), {"Middle": [300], "Silent": []})
    return episode


def test_chapters_vtt_is_webvtt_with_one_cue_per_chapter(client, two_article_episode) -> None:
    response = client.get("/episodes/chapters001/chapters.vtt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    captions = webvtt.from_string(response.content.decode()).captions
    assert [(c.start, c.end, c.text) for c in captions] == [
        ("00:00:15.000", "00:05:00.000", "Opening"),
        ("00:05:00.000", "00:10:10.000", "Middle"),
        ("00:10:10.000", "00:11:10.000", "Closing"),
    ]
    section_ids = set(two_article_episode.articles.values_list("sections__id", flat=True))
    assert all(int(c.identifier.removeprefix("s")) in section_ids for c in captions)


def test_chapter_titles_with_markup_cannot_break_the_vtt(client, db) -> None:
    episode = make_episode(video_id="chapters002")
    titles = ["A <b>bold</b> & risky title", "Arrow --> inside", "Plain"]
    add_sections(make_article(episode), {title: [i * 10] for i, title in enumerate(titles)})

    text = client.get("/episodes/chapters002/chapters.vtt").content.decode()

    captions = webvtt.from_string(text).captions
    assert [html.unescape(c.text) for c in captions] == titles
    assert [c.start_in_seconds for c in captions] == [0, 10, 20]
    assert "<b>" not in text
    assert text.count("-->") == len(titles)


def test_an_episode_without_timestamps_has_no_chapters(client, db) -> None:
    episode = make_episode(video_id="chapters003")
    add_sections(make_article(episode), {"Untimed": []})

    vtt = client.get("/episodes/chapters003/chapters.vtt").content.decode()
    document = json.loads(client.get("/episodes/chapters003/chapters.json").content)

    assert vtt == "WEBVTT\n"
    assert webvtt.from_string(vtt).captions == []
    assert document["chapters"] == []
    assert chapters_problems(document) == []


def test_chapters_of_an_unknown_episode_are_not_found(client, db) -> None:
    assert client.get("/episodes/nosuchvideo/chapters.vtt").status_code == 404
    assert client.get("/episodes/nosuchvideo/chapters.json").status_code == 404


def test_webvtt_of_no_chapters_is_just_the_signature() -> None:
    assert webvtt_text([]) == "WEBVTT\n"
    assert (
        webvtt_text([Chapter(0, 5, "x", "s1")])
        == "WEBVTT\n\ns1\n00:00:00.000 --> 00:00:05.000\nx\n"
    )


# The JSON chapters file, held to the specification's rules


def test_chapters_json_keeps_the_rules_of_the_spec(client, two_article_episode) -> None:
    response = client.get("/episodes/chapters001/chapters.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json+chapters"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    assert chapters_problems(document) == []
    assert document["version"] == "1.2.0"
    assert document["title"] == "Episode & more"
    assert document["podcastName"] == "A Channel"
    assert document["chapters"] == [
        {
            "startTime": 15,
            "endTime": 300,
            "title": "Opening",
            "url": "http://testserver/episodes/chapters001/?t=15",
        },
        {
            "startTime": 300,
            "endTime": 610,
            "title": "Middle",
            "url": "http://testserver/episodes/chapters001/?t=300",
        },
        {
            "startTime": 610,
            "endTime": 670,
            "title": "Closing",
            "url": "http://testserver/episodes/chapters001/?t=610",
        },
    ]


@pytest.mark.parametrize("example", ["example.json", "exampleComplex.json"])
def test_the_spec_checker_accepts_the_specs_own_examples(
    chapters_spec_dir: Path, example: str
) -> None:
    document = json.loads((chapters_spec_dir / example).read_text(encoding="utf-8"))

    assert document["chapters"]
    assert chapters_problems(document) == []


BREAKAGES = {
    "no version": lambda d: d.pop("version"),
    "version as a number": lambda d: d.update(version=1.2),
    "no chapters": lambda d: d.pop("chapters"),
    "chapters as an object": lambda d: d.update(chapters={}),
    "a chapter without startTime": lambda d: d["chapters"][1].pop("startTime"),
    "startTime as a string": lambda d: d["chapters"][1].update(startTime="168"),
    "startTime as a boolean": lambda d: d["chapters"][1].update(startTime=True),
    "a negative startTime": lambda d: d["chapters"][0].update(startTime=-1),
    "chapters out of order": lambda d: d["chapters"].reverse(),
    "toc as a string": lambda d: d["chapters"][1].update(toc="false"),
    "title as a number": lambda d: d["chapters"][1].update(title=7),
    "endTime before startTime": lambda d: d["chapters"][2].update(endTime=1),
    "a location without geo": lambda d: d["chapters"][1].update(location={"name": "Paris"}),
    "a geo that is no geo URI": lambda d: d["chapters"][1].update(
        location={"name": "Paris", "geo": "48.85,2.29"}
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_spec_checker_refuses_broken_copies_of_the_examples(
    chapters_spec_dir: Path, breakage: str
) -> None:
    for example in ("example.json", "exampleComplex.json"):
        document = copy.deepcopy(json.loads((chapters_spec_dir / example).read_text("utf-8")))
        BREAKAGES[breakage](document)

        assert chapters_problems(document), f"{example} with {breakage} passed the checker"

from __future__ import annotations

import json
import re

import pytest

from apps.exports.structured_data import iso_duration
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def json_ld_of(client, video_id: str) -> tuple[str, list[dict]]:
    page = client.get(f"/episodes/{video_id}/").content.decode()
    return page, [json.loads(found) for found in JSON_LD.findall(page)]


def make_timed_episode(video_id: str, title: str, sections: dict[str, int]):
    episode = make_episode(video_id=video_id, title=title)
    article = make_article(episode, title="The article")
    article.summary = "What the episode is about."
    article.save()
    for section_title, second in sections.items():
        section = make_section(article, title=section_title)
        make_claim(article, section=section, text=f"In {section_title}", seconds=[second])
    return episode


def test_the_episode_page_describes_the_video_with_a_clip_per_chapter(client) -> None:
    episode = make_timed_episode("structured1", "A talk", {"Start": 12, "Middle": 300, "End": 900})
    episode.duration_seconds = 3723
    episode.save()

    _, [video] = json_ld_of(client, "structured1")

    page_url = "http://testserver/episodes/structured1/"
    assert video["@context"] == "https://schema.org"
    assert video["@type"] == "VideoObject"
    assert video["name"] == "A talk"
    assert video["description"] == "What the episode is about."
    assert video["embedUrl"] == "https://www.youtube.com/embed/structured1"
    assert video["thumbnailUrl"] == ["https://i.ytimg.com/vi/structured1/hqdefault.jpg"]
    assert video["url"] == page_url
    assert video["duration"] == "PT1H2M3S"
    assert "uploadDate" not in video
    assert video["hasPart"] == [
        {
            "@type": "Clip",
            "name": "Start",
            "startOffset": 12,
            "endOffset": 300,
            "url": f"{page_url}?t=12",
        },
        {
            "@type": "Clip",
            "name": "Middle",
            "startOffset": 300,
            "endOffset": 900,
            "url": f"{page_url}?t=300",
        },
        {
            "@type": "Clip",
            "name": "End",
            "startOffset": 900,
            "endOffset": 3723,
            "url": f"{page_url}?t=900",
        },
    ]


def test_without_a_known_duration_there_is_no_duration(client) -> None:
    make_timed_episode("structured2", "Untimed length", {"Only": 5})

    _, [video] = json_ld_of(client, "structured2")

    assert "duration" not in video
    assert [clip["endOffset"] for clip in video["hasPart"]] == [65]


def test_titles_cannot_end_the_script_element(client) -> None:
    hostile = "</script><script>alert(1)</script><!--"
    make_timed_episode("structured3", f"Title {hostile}", {f"Section {hostile}": 5})

    page, [video] = json_ld_of(client, "structured3")

    assert video["name"] == f"Title {hostile}"
    assert video["hasPart"][0]["name"] == f"Section {hostile}"
    assert "<script>alert(1)" not in page
    assert page.count('<script type="application/ld+json">') == 1


def test_an_episode_without_timestamps_has_no_clips(client) -> None:
    episode = make_episode(video_id="structured4", title="Quiet")
    make_claim(make_article(episode), text="No moment named")

    _, [video] = json_ld_of(client, "structured4")

    assert video["hasPart"] == []
    assert video["description"] == "Notes on Quiet, moment by moment."


def test_the_episode_page_links_to_every_export(client) -> None:
    make_timed_episode("structured5", "Linked", {"Only": 5})

    page = client.get("/episodes/structured5/").content.decode()

    for path in ("notes.md", "chapters.vtt", "chapters.json"):
        assert f'href="/episodes/structured5/{path}"' in page


@pytest.mark.parametrize(
    ("seconds", "duration"),
    [
        (0, "PT0S"),
        (59, "PT59S"),
        (60, "PT1M"),
        (3600, "PT1H"),
        (3723, "PT1H2M3S"),
        (7205, "PT2H5S"),
    ],
)
def test_durations_are_iso_8601(seconds: int, duration: str) -> None:
    assert iso_duration(seconds) == duration

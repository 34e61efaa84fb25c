"""One hostile document must never take a page down (issue 15, point 9).

The test writes its own document set (slugs with "/ ? # %" and spaces, `</script>` in titles,
a 10,000-character heading, a right-to-left override, zero-width spaces), imports it with the
real importer, then fetches every page and API route that lists it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from apps.episodes.models import Channel, Episode
from apps.ingest.importer import import_paths
from tests.ingest.seed_files import write

pytestmark = pytest.mark.django_db

SCRIPT_END = "</script>"
RTL_OVERRIDE = "\u202e"
ZERO_WIDTH = "\u200b"
LONG_HEADING = "H" * 10_000

# (file, video id, From line target, display name, title)
HOSTILE = [
    ("a.md", "hostile0001", "bad/slug?x=1", "Name", f"Slash {SCRIPT_END}<script>alert(1)"),
    ("b.md", "hostile0002", "what ? # % ever", "Odd # Name", f'Quote " {SCRIPT_END} and &'),
    ("c.md", "hostile0003", f"rtl{RTL_OVERRIDE}gnp.exe", f"{RTL_OVERRIDE}evil", "Right to left"),
    ("d.md", "hostile0004", f"zero{ZERO_WIDTH}width/..", "Zero width", f"Zero{ZERO_WIDTH}width"),
    ("e.md", "hostile0005", "%2F%00", "Percent", "Percent"),
    ("f.md", "hostile0006", "?/#", "Only punctuation", "No slug left"),
]


def _document(video_id: str, target: str, name: str, title: str) -> str:
    return (
        f"---\ntitle: {title}\nvideoId: {video_id}\n---\n\n"
        f"From: [[{target} | {name}]]\n\n"
        f"## {LONG_HEADING}\n\n"
        f"* {SCRIPT_END}<script>alert(2)</script> said {RTL_OVERRIDE}here{ZERO_WIDTH} "
        f'<a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>\n\n'
        f'* A superscript time <a class="yt-timestamp" data-t="\u00b2">[01:0\u00b2:03]</a>\n\n'
        f"## {title}\n\n"
        f'* Searchable hostile words <a class="yt-timestamp" data-t="00:02:00">[00:02:00]</a>\n'
    )


@pytest.fixture
def hostile(tmp_path) -> list[Episode]:
    for name, video_id, target, display, title in HOSTILE:
        write(tmp_path, name, _document(video_id, target, display, title))
    import_paths([tmp_path])
    episodes = list(Episode.objects.filter(video_id__startswith="hostile"))
    assert len(episodes) == len(HOSTILE)
    return episodes


def test_hostile_channel_slugs_are_what_urls_accept(hostile) -> None:
    slugs = {episode.video_id: episode.channel.slug for episode in hostile if episode.channel}
    assert all(re.fullmatch(r"[\w-]+", slug) for slug in slugs.values()), slugs
    assert Channel.objects.get(episodes__video_id="hostile0001").name == "Name"
    assert slugs["hostile0001"] == "badslugx1"
    assert "hostile0006" not in slugs  # nothing of its slug is left: the episode has no channel


def test_every_page_listing_a_hostile_document_answers(client, hostile) -> None:
    pages = ["/", "/search/?q=hostile", "/search/?q=" + quote(SCRIPT_END)]
    for episode in hostile:
        page = episode.get_absolute_url()
        if episode.channel:
            pages += [
                f"/?channel={quote(episode.channel.slug)}",
                episode.channel.get_absolute_url(),
            ]
        pages += [
            page,
            f"{page}timeline/",
            f"{page}?t=69",
        ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_script_end_inside_scripts(url, response.content.decode())


def test_every_export_of_a_hostile_document_answers(client, hostile) -> None:
    for episode in hostile:
        for name in ("chapters.vtt", "chapters.json", "notes.md"):
            response = client.get(f"{episode.get_absolute_url()}{name}")
            assert response.status_code == 200, (episode.video_id, name)
    chapters = client.get("/episodes/hostile0001/chapters.json").json()
    assert SCRIPT_END in str(chapters)  # kept as text in JSON, never cut out


def test_every_api_route_listing_a_hostile_document_answers(client, hostile) -> None:
    listed = client.get("/api/episodes")
    assert listed.status_code == 200
    assert {"hostile0001", "hostile0005"} <= {item["video_id"] for item in _items(listed.json())}
    for episode in hostile:
        for url in (
            f"/api/episodes/{episode.video_id}",
            f"/api/claims?episode={episode.video_id}",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
    searched = client.get("/api/search?q=hostile")
    assert searched.status_code == 200
    assert client.get("/api/episodes/hostile0001").json()["channel"] is not None


def _items(body):
    return body["items"] if isinstance(body, dict) else body


_SCRIPTS = re.compile(r"<script\b[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def _assert_no_script_end_inside_scripts(url: str, html: str) -> None:
    """No `<script>` block the page itself writes ends early on a document's `</script>`.

    A `</script>` in a document may only reach the page escaped; were it raw inside a JSON-LD
    block, the block would end there and the rest of the text would run as HTML. So every
    script block's text must parse as a whole, and hold neither "<script" nor "<!--".
    """
    for body in _SCRIPTS.findall(html):
        assert "<script" not in body.lower(), (url, body[:200])
        assert "<!--" not in body, (url, body[:200])
    assert "<script>alert(" not in html, url

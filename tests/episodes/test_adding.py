"""Adding an episode by address: the service, its oEmbed title (from a local stand-in server,
never the network), the page /episodes/new/ and POST /api/episodes."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.accounts.tokens import api_token_create
from apps.annotations.models import Annotation
from apps.episodes.adding import add_episode
from apps.episodes.models import ContentVersion, Episode
from tests.annotations.factories import make_user

pytestmark = pytest.mark.django_db

VIDEO = "dQw4w9WgXcQ"
_tokens = count(1)


class OEmbedStandIn:
    """YouTube's oEmbed endpoint, played by a server on 127.0.0.1 that records what it is asked."""

    def __init__(self) -> None:
        self.asked: list[dict[str, list[str]]] = []
        self.answer: tuple[int, bytes] = (200, b"{}")
        self.delay = 0.0
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stand_in.asked.append(parse_qs(urlsplit(self.path).query))
                time.sleep(stand_in.delay)
                status, body = stand_in.answer
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/oembed"

    def title(self, title: str) -> None:
        self.answer = (200, json.dumps({"title": title, "type": "video"}).encode())


@pytest.fixture
def oembed(settings) -> Iterator[OEmbedStandIn]:
    stand_in = OEmbedStandIn()
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    settings.SEEKNOTES_OEMBED_URL = stand_in.url
    settings.SEEKNOTES_OEMBED_TIMEOUT = 0.5
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name=f"token-{next(_tokens)}")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_json(client: Client, url: str, data: object, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


# The service


def test_an_address_adds_the_episode_with_the_title_given():
    version = ContentVersion.current()
    episode, created = add_episode(f"https://youtu.be/{VIDEO}?si=abc&t=42", "  Never   gonna ")
    assert created is True
    assert (episode.video_id, episode.title) == (VIDEO, "Never gonna")
    assert Episode.objects.get(video_id=VIDEO).pk == episode.pk
    assert ContentVersion.current() > version


def test_an_existing_episode_is_returned_as_it_is():
    first, _ = add_episode(VIDEO, "First title")
    again, created = add_episode(f"https://www.youtube.com/shorts/{VIDEO}", "Another title")
    assert (again.pk, created, again.title) == (first.pk, False, "First title")
    assert Episode.objects.count() == 1


def test_no_title_and_no_oembed_leaves_it_untitled(settings):
    settings.SEEKNOTES_OEMBED_URL = ""
    episode, _ = add_episode(VIDEO)
    assert (episode.title, episode.display_title) == ("", f"Episode {VIDEO}")


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("https://vimeo.com/123", "This is not a YouTube address (vimeo.com)."),
        ("hello", "This is neither a YouTube address nor a video id"),
        ("https://www.youtube.com/@veritasium", "names no video"),
    ],
)
def test_anything_but_a_video_is_refused_naming_why(address, message):
    with pytest.raises(ValidationError) as refused:
        add_episode(address)
    assert message in refused.value.message_dict["url"][0]
    assert not Episode.objects.exists()


def test_the_title_is_read_with_oembed_when_enabled(oembed):
    oembed.title("  Rick   Astley - Never Gonna Give You Up  ")
    episode, _ = add_episode(f"https://m.youtube.com/watch?v={VIDEO}&t=1m")
    assert episode.title == "Rick Astley - Never Gonna Give You Up"
    assert oembed.asked == [
        {"url": [f"https://www.youtube.com/watch?v={VIDEO}"], "format": ["json"]}
    ]


def test_a_title_given_asks_nothing_of_oembed(oembed):
    oembed.title("Not this one")
    episode, _ = add_episode(VIDEO, "Mine")
    assert (episode.title, oembed.asked) == ("Mine", [])


@pytest.mark.parametrize(
    "answer",
    [(404, b'{"error": "Not Found"}'), (200, b"not json"), (200, b'{"title": 42}'), (200, b"[]")],
)
def test_a_failing_oembed_still_adds_the_episode_untitled(oembed, answer):
    oembed.answer = answer
    episode, created = add_episode(VIDEO)
    assert (created, episode.title, len(oembed.asked)) == (True, "", 1)


def test_a_slow_oembed_is_given_up_on_quickly(oembed):
    oembed.title("Too late")
    oembed.delay = 3
    started = time.monotonic()
    episode, _ = add_episode(VIDEO)
    assert episode.title == ""
    assert time.monotonic() - started < 2


def test_an_unreachable_oembed_still_adds_the_episode(settings):
    settings.SEEKNOTES_OEMBED_URL = "http://127.0.0.1:9/oembed"  # discard: nothing listens
    settings.SEEKNOTES_OEMBED_TIMEOUT = 0.5
    episode, created = add_episode(VIDEO)
    assert (created, episode.title) == (True, "")


# The page


def test_the_page_asks_anonymous_people_to_sign_in(client):
    response = client.get("/episodes/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/episodes/new/")


def test_the_page_adds_the_episode_and_opens_it_ready_to_annotate(client):
    client.force_login(make_user())
    form = client.get("/episodes/new/")
    assert form.status_code == 200
    assert b'name="url"' in form.content and b'name="title"' in form.content
    response = client.post(
        "/episodes/new/", {"url": f"https://www.youtube.com/live/{VIDEO}?si=x", "title": "Live"}
    )
    assert (response.status_code, response["Location"]) == (302, f"/episodes/{VIDEO}/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1" in html and "Live" in html
    assert f'data-video-id="{VIDEO}"' in html or VIDEO in html
    # The note at this moment is offered with no article at all.
    assert f"/episodes/{VIDEO}/notes/new/" in html


def test_a_note_at_a_moment_is_written_on_an_added_episode(client):
    user = make_user()
    client.force_login(user)
    client.post("/episodes/new/", {"url": VIDEO})
    response = client.post(f"/episodes/{VIDEO}/notes/new/", {"body": "The hook", "at": "0:43"})
    assert response.status_code in {200, 302}
    note = Annotation.objects.get(author=user)
    assert (note.body, note.seconds, note.episode.video_id) == ("The hook", 43, VIDEO)
    timeline = client.get(f"/episodes/{VIDEO}/timeline/").content.decode()
    assert 'aria-label="Your note at 0:43: The hook"' in timeline
    page = client.get(f"/episodes/{VIDEO}/").content.decode()
    assert "The hook" in page and "data-timeline" in page


def test_the_page_shows_why_an_address_is_refused(client):
    client.force_login(make_user())
    response = client.post("/episodes/new/", {"url": "https://vimeo.com/76979871"})
    assert response.status_code == 400
    assert "This is not a YouTube address (vimeo.com)." in response.content.decode()
    assert not Episode.objects.exists()


def test_the_page_opens_an_existing_episode(client):
    existing, _ = add_episode(VIDEO, "Known")
    client.force_login(make_user())
    response = client.post("/episodes/new/", {"url": f"youtu.be/{VIDEO}"})
    assert response["Location"] == existing.get_absolute_url()
    assert Episode.objects.count() == 1


def test_the_page_refuses_a_post_without_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    response = client.post("/episodes/new/", {"url": VIDEO})
    assert response.status_code == 403
    assert not Episode.objects.exists()


# The API


def test_the_api_adds_an_episode_201_then_finds_it_200(client):
    headers = bearer(make_user())
    created = post_json(
        client,
        "/api/episodes",
        {"url": f"https://music.youtube.com/watch?v={VIDEO}&si=q"},
        **headers,
    )
    assert created.status_code == 201
    assert created.json() == {
        "video_id": VIDEO,
        "title": f"Episode {VIDEO}",
        "created": True,
        "url": f"http://testserver/episodes/{VIDEO}/",
        "youtube_url": f"https://www.youtube.com/watch?v={VIDEO}",
    }
    found = post_json(client, "/api/episodes", {"url": VIDEO, "title": "Ignored"}, **headers)
    assert found.status_code == 200
    assert found.json()["created"] is False
    assert Episode.objects.get().title == ""


def test_the_api_takes_the_title_given(client):
    response = post_json(
        client, "/api/episodes", {"url": VIDEO, "title": "Given"}, **bearer(make_user())
    )
    assert (response.status_code, response.json()["title"]) == (201, "Given")


def test_the_api_says_422_naming_why(client):
    response = post_json(
        client,
        "/api/episodes",
        {"url": "https://example.com/watch?v=dQw4w9WgXcQ"},
        **bearer(make_user()),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "url"],
                "msg": "This is not a YouTube address (example.com).",
                "type": "not_a_video",
            }
        ]
    }
    assert not Episode.objects.exists()


def test_the_api_refuses_extra_fields_and_anonymous_writers(client):
    extra = post_json(
        client, "/api/episodes", {"url": VIDEO, "channel": "x"}, **bearer(make_user())
    )
    assert extra.status_code == 422
    anonymous = post_json(client, "/api/episodes", {"url": VIDEO})
    assert anonymous.status_code == 401
    assert not Episode.objects.exists()


def test_the_api_still_lists_episodes_on_get(client):
    add_episode(VIDEO, "Listed")
    response = client.get("/api/episodes")
    assert response.status_code == 200
    assert [item["video_id"] for item in response.json()["items"]] == [VIDEO]


def test_the_episode_list_links_to_adding_and_importing(client):
    assert b"data-bring-links" not in client.get("/").content
    person = make_user()
    client.force_login(person)
    links = client.get("/").content.decode()
    assert 'href="/episodes/new/">Add an episode</a>' in links
    assert "Import documents" not in links
    person.is_staff = True
    person.save()
    assert 'href="/imports/">Import documents</a>' in client.get("/").content.decode()


def test_adding_is_rate_limited_on_the_api_and_the_page(client, settings, rate_clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "episode_add": {"user": "1/h"}}
    person = make_user()
    headers = bearer(person)
    assert post_json(client, "/api/episodes", {"url": VIDEO}, **headers).status_code == 201
    refused = post_json(client, "/api/episodes", {"url": "https://youtu.be/aaaaaaaaaaa"}, **headers)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    client.force_login(person)
    page = client.post("/episodes/new/", {"url": "bbbbbbbbbbb"})
    assert page.status_code == 429
    assert "Too many episodes added for now." in page.content.decode()
    assert list(Episode.objects.values_list("video_id", flat=True)) == [VIDEO]

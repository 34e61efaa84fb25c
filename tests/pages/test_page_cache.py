"""The episode page kept for anonymous readers: served from the cache, never stale."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Annotation
from apps.episodes.models import Claim, ContentVersion
from apps.ingest.importer import import_paths
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode

pytestmark = pytest.mark.django_db

# One: the episode's id, the content's version and whether the episode has public notes.
CACHED_PAGE_QUERIES = 1
CSRF_IN_PAGE = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]*)"\}\'')


@pytest.fixture
def episode():
    episode = make_episode(video_id="cachedpage1", title="Cached")
    article = make_article(episode, title="Notes")
    make_claim(article, text="The first version of the claim", seconds=[12])
    return episode


def get_counting(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def without_token(response) -> str:
    return CSRF_IN_PAGE.sub("", response.content.decode())


def test_the_second_anonymous_reader_gets_the_kept_page(episode) -> None:
    first, first_queries = get_counting(Client(), episode.get_absolute_url())
    second, second_queries = get_counting(Client(), episode.get_absolute_url())

    assert first_queries > CACHED_PAGE_QUERIES
    assert second_queries == CACHED_PAGE_QUERIES
    assert without_token(second) == without_token(first)
    assert "The first version of the claim" in second.content.decode()


def test_each_reader_of_a_kept_page_gets_a_csrf_token_of_their_own(episode) -> None:
    Client().get(episode.get_absolute_url())
    reader = Client(enforce_csrf_checks=True)

    response = reader.get(episode.get_absolute_url())
    token = CSRF_IN_PAGE.search(response.content.decode()).group(1)

    assert token and token != "__csrf_token__"
    assert response.cookies["csrftoken"].value
    # The token works: a signed-out reader's POST to log in is refused for its password only.
    login = reader.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_X_CSRFTOKEN=token
    )
    assert login.status_code != 403


def test_a_changed_claim_is_shown_at_once(episode) -> None:
    Client().get(episode.get_absolute_url())
    claim = Claim.objects.get(article__episode=episode)
    claim.text = claim.html = "The second version of the claim"
    claim.save()

    response, queries = get_counting(Client(), episode.get_absolute_url())

    assert "The second version of the claim" in response.content.decode()
    assert queries > CACHED_PAGE_QUERIES


def test_an_import_makes_kept_pages_stale(tmp_path, episode) -> None:
    Client().get(episode.get_absolute_url())
    version = ContentVersion.current()
    seed = tmp_path / "claims.md"
    seed.write_text(
        "---\ntitle: Imported\nvideoId: cachedpage1\n---\n\n## Part\n\n"
        '- An imported claim <a class="yt-timestamp" data-t="00:00:30">[00:00:30]</a>\n',
        encoding="utf-8",
    )

    report = import_paths([seed])
    response = Client().get(episode.get_absolute_url())

    assert report.articles == 1
    assert ContentVersion.current() > version
    assert "An imported claim" in response.content.decode()


def test_a_public_note_appears_on_a_page_that_was_kept(episode) -> None:
    Client().get(episode.get_absolute_url())
    claim = Claim.objects.get(article__episode=episode)
    make_annotation(make_user(), claim=claim, body="A public remark", visibility="public")

    response, queries = get_counting(Client(), episode.get_absolute_url())

    assert "A public remark" in response.content.decode()
    assert queries > CACHED_PAGE_QUERIES


def test_signed_in_readers_always_get_their_own_page(client, episode) -> None:
    reader = make_user()
    client.force_login(reader)
    Client().get(episode.get_absolute_url())

    _, first_queries = get_counting(client, episode.get_absolute_url())
    second, second_queries = get_counting(client, episode.get_absolute_url())

    # The second may reuse the content's kept pieces, never the kept page of anonymous readers.
    assert first_queries >= second_queries > CACHED_PAGE_QUERIES
    assert reader.get_username() in second.content.decode()
    assert 'class="claim-note-link"' in second.content.decode()


def test_private_notes_never_reach_the_kept_page(episode) -> None:
    claim = Claim.objects.get(article__episode=episode)
    make_annotation(make_user(), claim=claim, body="Only mine", visibility="private")

    Client().get(episode.get_absolute_url())
    response, queries = get_counting(Client(), episode.get_absolute_url())

    assert "Only mine" not in response.content.decode()
    assert queries == CACHED_PAGE_QUERIES
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "kept"), [("?t=90", True), ("?t=1m30s", True), ("?utm=x", False), ("?t=1&t=2", False)]
)
def test_only_the_pages_own_query_is_kept(episode, query: str, kept: bool) -> None:
    url = episode.get_absolute_url() + query
    Client().get(url)

    response, queries = get_counting(Client(), url)

    assert (queries == CACHED_PAGE_QUERIES) is kept
    if query.startswith("?t=1m30s") or query == "?t=90":
        assert 'data-start="90"' in response.content.decode()


def test_the_episode_json_is_kept_and_follows_the_content(episode) -> None:
    url = f"/api/episodes/{episode.video_id}"
    first, first_queries = get_counting(Client(), url)
    second, second_queries = get_counting(Client(), url)
    claim = Claim.objects.get(article__episode=episode)
    claim.text = "Changed for the API"
    claim.save()
    third = Client().get(url)

    assert first_queries > 1
    assert second_queries == 1
    assert second.content == first.content
    assert second["Content-Type"] == "application/json; charset=utf-8"
    assert first.json()["url"] == "http://testserver/episodes/cachedpage1/"
    assert third.json()["articles"][0]["sections"][0]["claims"][0]["text"] == (
        "Changed for the API"
    )


def test_the_kept_json_names_the_host_it_was_asked_on(episode) -> None:
    url = f"/api/episodes/{episode.video_id}"
    Client().get(url)

    other = Client().get(url, HTTP_HOST="localhost")

    assert other.json()["url"] == "http://localhost/episodes/cachedpage1/"


@pytest.fixture
def two_sites(settings) -> None:
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("http", "a.example"), ("http", "b.example")),
        (("https", "a.example"), ("http", "a.example")),
        (("http", "a.example"), ("https", "a.example")),
    ],
)
def test_a_kept_page_is_kept_for_its_own_scheme_and_host(two_sites, episode, first, second):
    # The page's structured data holds absolute URLs: another site's must never be served.
    def read(scheme: str, host: str) -> str:
        headers = {"Host": host}
        if scheme == "https":
            headers["X-Forwarded-Proto"] = "https"
        response = Client().get(episode.get_absolute_url(), headers=headers)
        assert response.status_code == 200
        return response.content.decode()

    read(*first)
    page = read(*second)

    own, other = "{}://{}/".format(*second), "{}://{}/".format(*first)
    assert other not in page
    assert f"{own}episodes/cachedpage1" in page


def test_the_kept_episode_json_is_kept_for_its_own_scheme_and_host_too(two_sites, episode):
    # Not a page, but kept the same way (apps/api/kept_json.py), with absolute URLs too.
    def read(host: str, **headers: str) -> str:
        response = Client().get(
            f"/api/episodes/{episode.video_id}", headers=headers | {"Host": host}
        )
        assert response.status_code == 200
        return response.json()["url"]

    assert read("a.example") == "http://a.example/episodes/cachedpage1/"
    assert read("b.example") == "http://b.example/episodes/cachedpage1/"
    assert read("b.example", **{"X-Forwarded-Proto": "https"}) == (
        "https://b.example/episodes/cachedpage1/"
    )

"""Every response carries the Content-Security-Policy, exactly, and no page holds what that policy
refuses (an inline script, a <style> element, a style attribute, an on* handler): pages, the
API and its docs, the admin, and the error pages."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.annotations.services import annotation_create
from tests.annotations.factories import PASSWORD, make_user
from tests.episodes.factories import make_article, make_channel, make_claim, make_episode

pytestmark = pytest.mark.django_db

SELF, NONE, YOUTUBE = "'self'", "'none'", "https://www.youtube.com"
POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, YOUTUBE],
    "frame-src": [YOUTUBE],
    "img-src": [SELF],
    "style-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
# Scripts of these types are data the browser never runs; the policy lets them be.
DATA_BLOCKS = {"application/json", "application/ld+json"}


def policy_of(response) -> dict[str, list[str]]:
    parts = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in parts if name}


class _Inline(HTMLParser):
    """What in a page would need 'unsafe-inline' to work."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") not in DATA_BLOCKS:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"<{tag} {name}>" for name in names if name == "style" or name[:2] == "on"]


def inline_code(response) -> list[str]:
    parser = _Inline()
    parser.feed(response.content.decode())
    return parser.found


@pytest.fixture
def episode():
    episode = make_episode(video_id="Wo95ob_s_NI", channel=make_channel(slug="dwarkesh"))
    make_claim(make_article(episode), text="Imitation first", seconds=[69])
    return episode


@pytest.fixture
def reader(client, episode) -> Client:
    """Signed in, with a note on the episode, so note lists and forms are drawn."""
    author = make_user("ada")
    claim = episode.articles.get().claims.get()
    annotation_create(author=author, episode=episode, claim=claim, body="Kept *for* later.")
    client.force_login(author)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/episodes/Wo95ob_s_NI/",
        "/channels/dwarkesh/",
        "/search/?q=imitation",
        "/accounts/login/",
        "/accounts/signup/",
    ],
)
def test_pages_carry_the_policy_and_no_inline_code(client, episode, path) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert policy_of(response) == POLICY
    assert inline_code(response) == []


@pytest.mark.parametrize(
    "path",
    ["/episodes/Wo95ob_s_NI/", "/notes/", "/accounts/tokens/", "/search/?q=kept"],
)
def test_signed_in_pages_with_notes_and_forms_carry_the_policy_and_no_inline_code(
    reader, path
) -> None:
    response = reader.get(path)

    assert response.status_code == 200
    assert b"Kept" in response.content or path == "/accounts/tokens/"
    assert policy_of(response) == POLICY
    assert inline_code(response) == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/episodes", 200),
        ("/api/episodes/Wo95ob_s_NI", 200),
        ("/api/episodes/NoSuchVideo", 404),
        ("/api/no-such-route", 404),
        ("/api/openapi.json", 200),
    ],
)
def test_api_answers_carry_the_policy(client, episode, path, status) -> None:
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert policy_of(response) == POLICY


def test_api_docs_add_only_data_images_for_swagger_ui_icons(client) -> None:
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert policy_of(response) == {**POLICY, "img-src": [SELF, "data:"]}
    assert inline_code(response) == []


def test_admin_carries_the_policy_and_no_inline_code(client, episode) -> None:
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))

    for path in ["/admin/", "/admin/episodes/episode/", f"/admin/episodes/episode/{episode.pk}/"]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert policy_of(response) == POLICY, path
        assert inline_code(response) == [], path


def test_not_found_and_bad_request_pages_carry_the_policy(client, episode) -> None:
    missing = client.get("/episodes/NoSuchVideo/")
    bad = client.get("/?channel=%00")

    assert (missing.status_code, bad.status_code) == (404, 400)
    for response in (missing, bad):
        assert policy_of(response) == POLICY
        assert inline_code(response) == []


def test_csrf_failure_page_is_the_sites_own_with_no_inline_style() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "ada", "password": "x"})

    assert response.status_code == 403
    assert b"This form could not be sent" in response.content
    assert policy_of(response) == POLICY
    assert inline_code(response) == []


def test_lockout_page_carries_the_policy_and_no_inline_code(client) -> None:
    make_user("ada")
    wrong = {"username": "ada", "password": "not " + PASSWORD}
    for _ in range(5):
        client.post("/accounts/login/", wrong)

    response = client.post("/accounts/login/", wrong)

    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert policy_of(response) == POLICY
    assert inline_code(response) == []

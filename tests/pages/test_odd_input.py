"""Odd request input gets a clean answer, never a 500 (issue 15, point 8)."""

from __future__ import annotations

import json

import pytest

from apps.accounts.tokens import api_token_create
from apps.annotations.models import Annotation
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_channel, make_claim, make_episode

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "\u00b2"  # passes str.isdigit(), refused by int()


@pytest.fixture
def episode():
    episode = make_episode(video_id="odd12345678", channel=make_channel(slug="odd"))
    make_claim(make_article(episode), text="A claim.")
    return episode


@pytest.fixture
def signed_in(client):
    user = make_user("oddity")
    client.force_login(user)
    return user


def test_a_superscript_offset_opens_the_episode_at_the_start(client, episode) -> None:
    response = client.get(f"/episodes/{episode.video_id}/?t={SUPERSCRIPT_TWO}")
    assert response.status_code == 200
    assert response.context["start_seconds"] is None


@pytest.mark.parametrize("name", ["t", "at"])
def test_a_superscript_time_leaves_the_new_note_form_empty(client, episode, signed_in, name):
    response = client.get(f"/episodes/{episode.video_id}/notes/new/?{name}={SUPERSCRIPT_TWO}")
    assert response.status_code == 200
    assert response.context["form"].initial.get("at") is None


def test_a_superscript_claim_is_not_found(client, episode, signed_in) -> None:
    response = client.get(f"/episodes/{episode.video_id}/notes/new/?claim={SUPERSCRIPT_TWO}")
    assert response.status_code == 404


def test_a_superscript_claim_posted_is_a_form_error(client, episode, signed_in) -> None:
    response = client.post(
        f"/episodes/{episode.video_id}/notes/new/",
        {"claim": SUPERSCRIPT_TWO, "body": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"claim": ["Enter a whole number."]}
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/channels/a%00b/",
        "/episodes/a%00b/",
        "/episodes/a%00b/timeline/",
        "/episodes/a%00b/notes/new/",
        "/episodes/a%00b/chapters.vtt",
        "/episodes/a%00b/chapters.json",
        "/episodes/a%00b/notes.md",
    ],
)
def test_a_nul_in_a_path_is_not_found(client, signed_in, url) -> None:
    assert client.get(url).status_code == 404


def test_a_nul_channel_filter_is_a_bad_request(client, episode) -> None:
    response = client.get("/?channel=%00")
    assert response.status_code == 400
    assert b"Bad Request (400)" in response.content


def test_revoking_a_token_named_with_a_nul_is_a_bad_request(client, signed_in) -> None:
    api_token_create(user=signed_in, name="kept")
    response = client.post("/accounts/tokens/revoke/", {"name": "ke\x00pt"})
    assert response.status_code == 400
    assert signed_in.api_tokens.filter(name="kept").exists()


@pytest.mark.parametrize("at", ["2147483648", "24:00:01", "99999h"])
def test_a_note_past_a_day_is_a_form_error(client, episode, signed_in, at) -> None:
    response = client.post(f"/episodes/{episode.video_id}/notes/new/", {"at": at, "body": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "at": ["A moment is between 0:00 and 24:00:00 into the episode."]
    }
    assert not Annotation.objects.exists()


def test_a_note_past_the_episode_end_is_a_form_error(client, episode, signed_in) -> None:
    episode.duration_seconds = 600
    episode.save()
    response = client.post(f"/episodes/{episode.video_id}/notes/new/", {"at": "10:01", "body": "x"})
    assert response.context["form"].errors == {
        "at": ["A moment is between 0:00 and 10:00 into the episode."]
    }
    accepted = client.post(f"/episodes/{episode.video_id}/notes/new/", {"at": "10:00", "body": "x"})
    assert accepted.status_code == 302
    assert Annotation.objects.get().seconds == 600


def test_a_deeply_nested_import_is_refused_with_nothing_written(client, signed_in) -> None:
    depth = 200_000
    data = ("[" * depth + "]" * depth).encode()
    upload = _upload(data)
    response = client.post("/notes/import/", {"file": upload})
    assert response.status_code == 400
    assert "Nothing was imported. The file is nested too deeply." in response.content.decode()
    assert not Annotation.objects.exists()


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notes.jsonld", data, content_type="application/ld+json")


def test_the_api_refuses_a_note_past_the_episode_end(client, episode, signed_in) -> None:
    episode.duration_seconds = 600
    episode.save()
    _, key = api_token_create(user=signed_in, name="api")
    response = client.post(
        "/api/annotations",
        json.dumps({"episode": episode.video_id, "body": "x", "seconds": 601}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422
    assert "A moment is between 0:00 and 10:00 into the episode." in json.dumps(response.json())
    assert not Annotation.objects.exists()


def test_the_api_import_refuses_a_deeply_nested_body(client, signed_in) -> None:
    # Django Ninja parses the API's body itself; this pins that it stays a clean 400.
    _, key = api_token_create(user=signed_in, name="api")
    depth = 200_000
    response = client.post(
        "/api/annotations/import",
        "[" * depth + "]" * depth,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
    assert not Annotation.objects.exists()

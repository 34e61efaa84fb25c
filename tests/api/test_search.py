"""`/api/search`: claims matching every word, each linking to its moment."""

from __future__ import annotations

import pytest

from apps.accounts.tokens import api_token_create
from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user

from .conftest import SEED_VIDEO_ID

pytestmark = pytest.mark.django_db


def test_search_finds_claims_with_every_word_and_links_to_their_moment(
    client, seed_episode
) -> None:
    objective = Claim.objects.get(article__episode=seed_episode, label="Objective", position=3)

    response = client.get("/api/search", {"q": "imitate INTERNET"})

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "kind": "claim",
                "id": objective.pk,
                "episode": SEED_VIDEO_ID,
                "seconds": 69,
                "snippet": (
                    "Objective: To imitate the vast content available on the internet, including "
                    'websites and code. The model learns to predict the next "token" (words or '
                    "parts of words) given previous tokens. This is framed as maximizing the log "
                    "probability of the data."
                )[:200]
                + "…",
                "url": f"http://testserver/episodes/{SEED_VIDEO_ID}/?t=69#c{objective.pk}",
            }
        ],
        "count": 1,
    }


def test_a_hit_without_a_timestamp_has_null_seconds_and_links_to_the_claim(
    client, seed_episode
) -> None:
    items = client.get("/api/search", {"q": "foundational knowledge"}).json()["items"]

    assert [(item["seconds"], item["url"].split("/")[-1]) for item in items] == [
        (None, f"#c{items[0]['id']}")
    ]


def test_search_pages_like_every_list(client, seed_episode) -> None:
    everything = client.get("/api/search", {"q": "model", "limit": 500}).json()
    page = client.get("/api/search", {"q": "model", "limit": 2, "offset": 1}).json()

    assert everything["count"] == page["count"] > 3
    assert page["items"] == everything["items"][1:3]


def test_search_needs_a_query(client, db) -> None:
    response = client.get("/api/search")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_search_finds_the_notes_its_reader_may_see(client, seed_episode) -> None:
    objective = Claim.objects.get(article__episode=seed_episode, label="Objective", position=3)
    ada, grace = make_user("ada"), make_user("grace")
    for author, visibility in ((ada, "private"), (grace, "private"), (grace, "public")):
        body = f"zebra note by {author.username}, {visibility}"
        make_annotation(author, claim=objective, body=body, visibility=visibility)
    _, key = api_token_create(user=ada, name="laptop")

    def found(**headers: str) -> list[tuple[str, str]]:
        items = client.get("/api/search", {"q": "zebra"}, headers=headers).json()["items"]
        return sorted((item["kind"], item["snippet"]) for item in items)

    assert found() == [("annotation", "zebra note by grace, public")]
    assert found(Authorization=f"Bearer {key}") == [
        ("annotation", "zebra note by ada, private"),
        ("annotation", "zebra note by grace, public"),
    ]

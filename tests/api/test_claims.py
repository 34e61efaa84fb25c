"""`/api/claims` and `/api/claims/{id}`: filters by episode, moment, range and words."""

from __future__ import annotations

import pytest

from apps.episodes.models import Claim
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

from .conftest import SEED_VIDEO_ID

pytestmark = pytest.mark.django_db

SEED_SLUG = "challenges_and_advancements_in_ai_training_techniques"
OBJECTIVE_TEXT = (
    "To imitate the vast content available on the internet, including websites and code. The "
    'model learns to predict the next "token" (words or parts of words) given previous tokens. '
    "This is framed as maximizing the log probability of the data."
)


def claim_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_a_claim_reads_as_its_text_timestamps_and_place(client, seed_episode) -> None:
    objective = Claim.objects.get(article__episode=seed_episode, label="Objective", position=3)

    response = client.get(f"/api/claims/{objective.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": objective.pk,
        "label": "Objective",
        "text": OBJECTIVE_TEXT,
        "episode": SEED_VIDEO_ID,
        "article": SEED_SLUG,
        "section_id": objective.section_id,
        "timestamps": [69, 97, 103],
        "timestamp_ids": list(
            objective.timestamps.order_by("position").values_list("pk", flat=True)
        ),
        "url": f"http://testserver/episodes/{SEED_VIDEO_ID}/#c{objective.pk}",
    }
    assert len(response.json()["timestamp_ids"]) == 3


def test_claim_list_of_an_episode_is_in_reading_order(client, seed_episode) -> None:
    response = client.get("/api/claims", {"episode": SEED_VIDEO_ID, "limit": 500})

    body = response.json()
    expected = list(
        Claim.objects.filter(article__episode=seed_episode)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert body["count"] == 61
    assert [item["id"] for item in body["items"]] == expected
    assert body["items"][3]["text"] == OBJECTIVE_TEXT


def test_at_gives_the_claim_being_spoken_in_each_article(client, db) -> None:
    episode = make_episode(video_id="atMoment001")
    first = make_article(episode, title="First")
    intro = make_claim(first, text="Intro", seconds=[10])
    body = make_claim(first, text="Body", seconds=[30, 90])
    make_claim(first, text="Later", seconds=[120])
    second = make_article(episode, title="Second")
    make_claim(second, text="Starts late", seconds=[60])
    other = make_claim(make_article(make_episode(video_id="otherEpis01")), seconds=[5])

    def spoken(seconds: int) -> list[int]:
        return claim_ids(client.get("/api/claims", {"episode": "atMoment001", "at": seconds}))

    assert spoken(9) == []  # nothing said yet
    assert spoken(10) == [intro.pk]
    assert spoken(59) == [body.pk]  # the greatest timestamp <= 59 is Body's 30
    assert spoken(100) == [body.pk, Claim.objects.get(text="Starts late").pk]
    assert other.pk not in spoken(3600)


def test_at_prefers_the_first_claim_in_reading_order_among_equal_timestamps(client, db) -> None:
    article = make_article(make_episode(video_id="tiedMoment1"))
    first = make_claim(article, text="First", seconds=[40])
    make_claim(article, text="Second", seconds=[40])

    assert claim_ids(client.get("/api/claims", {"episode": "tiedMoment1", "at": 45})) == [first.pk]


def test_start_and_end_keep_claims_with_a_timestamp_in_the_range(client, db) -> None:
    article = make_article(make_episode(video_id="rangeEpis01"))
    early = make_claim(article, text="Early", seconds=[10])
    spans = make_claim(article, text="Spans", seconds=[20, 200])
    late = make_claim(article, text="Late", seconds=[300])
    make_claim(article, text="Untimed")

    def between(**bounds: int) -> list[int]:
        return claim_ids(client.get("/api/claims", {"episode": "rangeEpis01", **bounds}))

    assert between(start=15, end=250) == [spans.pk]
    assert between(start=250) == [late.pk]
    assert between(end=10) == [early.pk]
    assert between(start=300, end=10) == []


def test_q_keeps_claims_containing_every_word_ignoring_case(client, seed_episode) -> None:
    response = client.get("/api/claims", {"q": "LOG probability"})

    assert [item["label"] for item in response.json()["items"]] == ["Objective"]
    assert response.json()["items"][0]["timestamps"] == [69, 97, 103]


def test_filters_combine(client, db) -> None:
    article = make_article(make_episode(video_id="combined001"))
    section = make_section(article, title="Part")
    make_claim(article, section=section, text="Scaling laws", seconds=[10])
    wanted = make_claim(article, section=section, text="Scaling compute", seconds=[50])

    response = client.get(
        "/api/claims", {"episode": "combined001", "q": "scaling", "start": 40, "at": 60}
    )

    assert claim_ids(response) == [wanted.pk]


def test_an_unknown_claim_is_404(client, db) -> None:
    response = client.get("/api/claims/987654")

    assert response.status_code == 404
    assert response.json() == {"detail": "No claim 987654."}


def test_claims_of_an_unknown_episode_is_404(client, db) -> None:
    response = client.get("/api/claims", {"episode": "AAAAAAAAAAA"})

    assert response.status_code == 404
    assert response.json() == {"detail": "No episode AAAAAAAAAAA."}

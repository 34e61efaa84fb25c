"""`/api/episodes` and `/api/episodes/{video_id}`, as CONTRACT.md states them."""

from __future__ import annotations

import pytest

from apps.episodes.models import Claim, Section
from tests.episodes.factories import make_article, make_channel, make_claim, make_episode

from .conftest import SEED_VIDEO_ID

pytestmark = pytest.mark.django_db

SEED_TITLE = "Challenges and advancements in AI training techniques"
SEED_SLUG = "challenges_and_advancements_in_ai_training_techniques"
SEED_SUMMARY = (
    "This article summarizes insights from John Schulman, co-founder of OpenAI and leader of "
    "the post-training team, on the current state and future of AI model training, focusing on "
    "the distinctions between pre-training and post-training, emerging advancements, and "
    "persistent challenges."
)
DWARKESH = {"slug": "dwarkesh", "name": "The Dwarkesh Podcast"}


def test_episode_list_gives_each_episode_with_its_channel_counts_and_page(
    client, seed_episode
) -> None:
    response = client.get("/api/episodes")

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {
                "video_id": SEED_VIDEO_ID,
                "title": SEED_TITLE,
                "channel": DWARKESH,
                "articles": 1,
                "claims": 61,
                "url": f"http://testserver/episodes/{SEED_VIDEO_ID}/",
            }
        ],
        "count": 1,
    }


def test_episode_list_filters_by_channel_slug(client, seed_episode) -> None:
    other = make_channel(slug="other-channel")
    make_episode(video_id="otherVideo1", channel=other, title="Elsewhere")

    dwarkesh = client.get("/api/episodes", {"channel": "dwarkesh"}).json()
    elsewhere = client.get("/api/episodes", {"channel": "other-channel"}).json()

    assert [item["video_id"] for item in dwarkesh["items"]] == [SEED_VIDEO_ID]
    assert elsewhere["items"][0]["channel"] == {"slug": "other-channel", "name": "Other Channel"}
    assert elsewhere["count"] == 1


def test_episode_list_q_finds_episodes_by_their_titles_and_claims_through_the_index(
    client, seed_episode
) -> None:
    episode = make_episode(video_id="otherVideo1", title="Reasoning at scale")
    make_claim(make_article(episode, title="Quokka efficiency"), text="Données et café frais.")
    make_article(make_episode(video_id="noClaims001", title="Reasoning alone"))

    def found(q: str) -> list[str]:
        return [item["video_id"] for item in client.get("/api/episodes", {"q": q}).json()["items"]]

    assert found("AI TRAINING") == [SEED_VIDEO_ID]
    assert found("quokka efficiency") == ["otherVideo1"]  # an article's title
    assert found("reasoning scale") == ["otherVideo1"]  # an episode with no claims is not found
    assert found("donnees CAFE") == ["otherVideo1"]  # a claim's words, diacritics ignored
    assert found("scale caf") == ["otherVideo1"]  # titles and claim together, last word a prefix
    assert found("quokka training") == []  # every word must match
    assert found('"efficiency quokka"') == []  # a phrase keeps its order
    assert sorted(found("")) == sorted([SEED_VIDEO_ID, "otherVideo1", "noClaims001"])


def test_episode_list_paginates_with_limit_and_offset(client, db) -> None:
    for number in range(3):
        make_episode(video_id=f"pagedVideo{number}", title=f"Episode {number}")

    first = client.get("/api/episodes", {"limit": 2}).json()
    rest = client.get("/api/episodes", {"limit": 2, "offset": 2}).json()

    # Newest import first.
    assert [item["video_id"] for item in first["items"]] == ["pagedVideo2", "pagedVideo1"]
    assert [item["video_id"] for item in rest["items"]] == ["pagedVideo0"]
    assert first["count"] == rest["count"] == 3


def test_limit_defaults_to_50_and_is_capped_at_500(client, db) -> None:
    make_episode(video_id="onlyVideo01")

    default = client.get("/api/episodes")
    huge = client.get("/api/episodes", {"limit": 10_000})

    assert default.status_code == huge.status_code == 200
    assert huge.json()["count"] == 1
    parameters = client.get("/api/openapi.json").json()["paths"]["/api/episodes"]["get"]
    limit = next(p for p in parameters["parameters"] if p["name"] == "limit")
    assert limit["schema"]["default"] == 50
    assert "500" in limit["schema"]["description"]


def test_episode_detail_gives_the_whole_tree_of_the_seed(client, seed_episode) -> None:
    response = client.get(f"/api/episodes/{SEED_VIDEO_ID}")

    assert response.status_code == 200
    episode = response.json()
    article = episode["articles"][0]
    assert {key: value for key, value in episode.items() if key != "articles"} == {
        "video_id": SEED_VIDEO_ID,
        "title": SEED_TITLE,
        "channel": DWARKESH,
        "url": f"http://testserver/episodes/{SEED_VIDEO_ID}/",
        "youtube_url": f"https://www.youtube.com/watch?v={SEED_VIDEO_ID}",
    }
    assert len(episode["articles"]) == 1
    assert {key: value for key, value in article.items() if key != "sections"} == {
        "slug": SEED_SLUG,
        "title": SEED_TITLE,
        "summary": SEED_SUMMARY,
    }
    assert [section["title"] for section in article["sections"][:4]] == [
        None,
        "Understanding Pre-training and Post-training",
        "Pre-training",
        "Post-training (Fine-tuning)",
    ]
    assert sum(len(section["claims"]) for section in article["sections"]) == 61


def test_claims_before_the_first_heading_sit_in_a_first_section_titled_null(
    client, seed_episode
) -> None:
    article = client.get(f"/api/episodes/{SEED_VIDEO_ID}").json()["articles"][0]
    first = article["sections"][0]
    claim = Claim.objects.get(article__episode=seed_episode, position=0)

    assert first == {
        "id": claim.section_id,
        "title": None,
        "level": 0,
        "parent_id": None,
        "claims": [
            {
                "id": claim.pk,
                "label": "",
                "text": SEED_SUMMARY,
                "parent_id": None,
                "timestamps": [],
            }
        ],
    }


def test_a_section_lists_its_claims_with_labels_and_seconds(client, seed_episode) -> None:
    article = client.get(f"/api/episodes/{SEED_VIDEO_ID}").json()["articles"][0]
    understanding, pretraining = article["sections"][1:3]

    assert pretraining["title"] == "Pre-training"
    assert pretraining["level"] == 3
    assert pretraining["parent_id"] == understanding["id"]
    assert [
        (claim["label"], claim["text"][:40], claim["timestamps"], claim["parent_id"])
        for claim in pretraining["claims"]
    ] == [
        ("", "Pre-training is the initial phase where ", [], None),
        ("Objective", "To imitate the vast content available on", [69, 97, 103], None),
        ("Outcome", 'A "base model" that can generate content', [83, 109, 121], None),
    ]


def test_nested_claims_name_their_parent(client, db) -> None:
    episode = make_episode(video_id="nestedVide0")
    article = make_article(episode)
    section = Section.objects.create(article=article, level=2, title="Part", position=0)
    parent = make_claim(article, section=section, text="Parent", seconds=[10])
    child = make_claim(article, parent=parent, text="Child", seconds=[12])

    sections = client.get("/api/episodes/nestedVide0").json()["articles"][0]["sections"]

    assert sections[0]["claims"] == [
        {"id": parent.pk, "label": "", "text": "Parent", "parent_id": None, "timestamps": [10]},
        {"id": child.pk, "label": "", "text": "Child", "parent_id": parent.pk, "timestamps": [12]},
    ]


def test_claims_outside_any_section_get_a_first_section_with_no_id(client, db) -> None:
    episode = make_episode(video_id="noSection00")
    article = make_article(episode)
    claim = make_claim(article, text="Before any heading", seconds=[5])

    sections = client.get("/api/episodes/noSection00").json()["articles"][0]["sections"]

    assert sections == [
        {
            "id": None,
            "title": None,
            "level": 0,
            "parent_id": None,
            "claims": [
                {
                    "id": claim.pk,
                    "label": "",
                    "text": "Before any heading",
                    "parent_id": None,
                    "timestamps": [5],
                }
            ],
        }
    ]


def test_an_episode_without_a_title_is_named_after_its_video_id(client, db) -> None:
    make_episode(video_id="untitled001")

    assert client.get("/api/episodes/untitled001").json()["title"] == "Episode untitled001"


def test_an_unknown_video_id_is_404_with_detail(client, db) -> None:
    response = client.get("/api/episodes/AAAAAAAAAAA")

    assert response.status_code == 404
    assert response.json() == {"detail": "No episode AAAAAAAAAAA."}

"""`/api/annotations…` for issue 18: times and ranges, bookmarks, tags and replies."""

from __future__ import annotations

import pytest

from apps.annotations.models import Annotation
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode

from .test_annotations import bearer, patch_json, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode():
    """A 96-minute episode with claims at 60 and at 750 seconds."""
    episode = make_episode(video_id="range000001", title="Ranges")
    episode.duration_seconds = 96 * 60
    episode.save()
    article = make_article(episode)
    make_claim(article, text="Early", seconds=[60])
    make_claim(article, text="Later", seconds=[750])
    return episode


def write(client, user, **fields):
    data = {"episode": "range000001", **fields}
    return post_json(client, "/api/annotations", data, headers=bearer(user))


def detail(response) -> dict[str, str]:
    """The fields a 422 names, with the first message of each."""
    return {error["loc"][1]: error["msg"] for error in response.json()["detail"]}


def test_a_range_with_tags_is_written_and_read_back(client, episode) -> None:
    ada = make_user("ada")
    response = write(
        client, ada, seconds=754, end_seconds=790, body="On #RL", tags=["#Clip", "to-read"]
    )

    assert response.status_code == 201
    note = response.json()
    assert (note["seconds"], note["end_seconds"], note["quote"]) == (754, 790, "Later")
    assert (note["tags"], note["parent"], note["replies"]) == (["clip", "to-read", "rl"], None, 0)
    read = client.get(f"/api/annotations/{note['id']}", headers=bearer(ada)).json()
    assert {key: read[key] for key in ("end_seconds", "tags")} == {
        "end_seconds": 790,
        "tags": ["clip", "to-read", "rl"],
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"seconds": 96 * 60 + 1}, "seconds"),
        ({"seconds": 999_999}, "seconds"),
        ({"seconds": 100, "end_seconds": 100}, "end_seconds"),
        ({"seconds": 100, "end_seconds": 96 * 60 + 1}, "end_seconds"),
        ({"seconds": 100, "tags": ["a b"]}, "tags"),
        ({"seconds": 100, "tags": [f"t{i}" for i in range(11)]}, "tags"),
    ],
)
def test_times_and_tags_out_of_bounds_are_422_naming_the_field(
    client, episode, fields, field
) -> None:
    response = write(client, make_user(), body="x", **fields)

    assert response.status_code == 422
    assert field in detail(response)
    assert not Annotation.objects.exists()


def test_an_empty_body_at_a_moment_is_a_bookmark(client, episode) -> None:
    response = write(client, make_user(), seconds=754)

    assert response.status_code == 201
    assert (response.json()["body"], response.json()["claim_id"] is not None) == ("", True)


def test_patch_moves_the_note_and_gives_it_a_range(client, episode) -> None:
    ada = make_user()
    note = write(client, ada, seconds=70, body="x").json()
    url = f"/api/annotations/{note['id']}"

    response = patch_json(client, url, {"seconds": 754, "end_seconds": 790}, headers=bearer(ada))

    assert response.status_code == 200
    moved = response.json()
    assert (moved["seconds"], moved["end_seconds"], moved["quote"]) == (754, 790, "Later")
    refused = patch_json(client, url, {"seconds": 6000}, headers=bearer(ada))
    assert (refused.status_code, list(detail(refused))) == (422, ["seconds"])
    refused = patch_json(client, url, {"end_seconds": 700}, headers=bearer(ada))
    assert (refused.status_code, list(detail(refused))) == (422, ["end_seconds"])
    tagged = patch_json(client, url, {"tags": ["new"], "end_seconds": 0}, headers=bearer(ada))
    assert (tagged.json()["tags"], tagged.json()["end_seconds"]) == (["new"], None)


def test_patching_someone_elses_public_note_is_403_and_private_404(client, episode) -> None:
    ada, bob = make_user(), make_user()
    public = write(client, ada, seconds=70, body="x", visibility="public").json()
    private = write(client, ada, seconds=70, body="y").json()

    for note, status in ((public, 403), (private, 404)):
        url = f"/api/annotations/{note['id']}"
        response = patch_json(client, url, {"seconds": 100}, headers=bearer(bob))
        assert response.status_code == status
    assert Annotation.objects.get(pk=public["id"]).seconds == 70


def test_replies_are_counted_listed_and_keep_their_own_visibility(client, episode) -> None:
    ada, bob, cy = make_user(), make_user(), make_user()
    top = write(client, ada, seconds=754, body="Top", visibility="public").json()
    open_reply = write(client, bob, body="Yes", parent=top["id"], visibility="public").json()
    write(client, bob, body="Aside", parent=top["id"])
    assert (open_reply["parent"], open_reply["seconds"]) == (top["id"], 754)

    def replies_seen_by(user) -> tuple[int, list[str]]:
        headers = bearer(user)
        count = client.get(f"/api/annotations/{top['id']}", headers=headers).json()["replies"]
        listed = client.get(f"/api/annotations?parent={top['id']}", headers=headers).json()
        return count, sorted(item["body"] for item in listed["items"])

    assert replies_seen_by(bob) == (2, ["Aside", "Yes"])
    assert replies_seen_by(cy) == (1, ["Yes"])


def test_a_reply_to_a_private_note_is_404_when_unseen_and_422_naming_parent_when_own(
    client, episode
) -> None:
    ada = make_user()
    private = write(client, ada, seconds=754, body="Mine").json()

    unseen = write(client, make_user(), body="Hi", parent=private["id"])
    own = write(client, ada, body="Hi", parent=private["id"])

    assert (unseen.status_code, unseen.json()) == (
        404,
        {"detail": f"No annotation {private['id']}."},
    )
    assert (own.status_code, list(detail(own))) == (422, ["parent"])
    assert Annotation.objects.count() == 1


def test_the_list_filters_by_tag(client, episode) -> None:
    ada = make_user()
    write(client, ada, seconds=1, body="one #physics")
    write(client, ada, seconds=2, body="two", tags=["maths"])

    listed = client.get("/api/annotations?mine=true&tag=Physics", headers=bearer(ada)).json()

    assert [item["body"] for item in listed["items"]] == ["one #physics"]


def test_deleting_a_note_with_replies_leaves_the_replies(client, episode) -> None:
    ada, bob = make_user(), make_user()
    top = write(client, ada, seconds=754, body="Top", visibility="public").json()
    reply = write(client, bob, body="Yes", parent=top["id"], visibility="public").json()

    assert client.delete(f"/api/annotations/{top['id']}", headers=bearer(ada)).status_code == 204

    assert client.get(f"/api/annotations/{top['id']}").status_code == 404
    kept = client.get(f"/api/annotations/{reply['id']}").json()
    assert (kept["body"], kept["parent"]) == ("Yes", top["id"])

"""`tag:name` in a search keeps the notes with that tag (issue 18), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from apps.annotations.services import annotation_create, annotation_delete
from apps.search.queries import search, split_tags
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes():
    episode = make_episode(video_id="tagsearch01", title="Tagged")
    make_claim(make_article(episode), text="Gravity bends light", seconds=[10])
    ada, bob = make_user("ada"), make_user("bob")

    def write(author, body, visibility="public", **kwargs):
        return annotation_create(
            author=author, episode=episode, seconds=20, body=body, visibility=visibility, **kwargs
        )

    return {
        "ada": ada,
        "bob": bob,
        "public": write(ada, "Gravity and #physics"),
        "other": write(ada, "Gravity in poems", tags=["art"]),
        "private": write(bob, "Bob's own gravity", "private", tags=["physics"]),
        "both": write(bob, "Light #physics", tags=["art"]),
    }


def bodies(query: str, user=None) -> list[str]:
    return [hit.snippet for hit in search(query, user=user)[:50]]


def test_split_tags_takes_out_tag_terms_only() -> None:
    assert split_tags("gravity tag:Physics tag:#art notatag:x") == (
        "gravity     notatag:x",
        ["physics", "art"],
    )


def test_a_tag_alone_lists_the_visible_notes_with_it_newest_first(notes) -> None:
    assert bodies("tag:physics") == ["Light #physics", "Gravity and #physics"]
    assert bodies("tag:physics", user=notes["bob"]) == [
        "Light #physics",
        "Bob's own gravity",
        "Gravity and #physics",
    ]
    assert bodies("tag:physics tag:art") == ["Light #physics"]
    assert bodies("tag:nothing") == []


def test_words_and_a_tag_keep_the_matching_notes_with_it(notes) -> None:
    assert sorted(bodies("gravity")) == [
        "Gravity and #physics",
        "Gravity bends light",
        "Gravity in poems",
    ]
    assert bodies("gravity tag:physics") == ["Gravity and #physics"]
    assert search("gravity tag:physics").count() == 1


def test_a_deleted_note_is_no_longer_found_by_its_tag(notes) -> None:
    annotation_delete(annotation=notes["public"], actor=notes["ada"])
    assert bodies("tag:physics") == ["Light #physics"]


def test_the_api_search_understands_tags(client, notes) -> None:
    response = client.get("/api/search?q=tag:art")
    assert [item["id"] for item in response.json()["items"]] == [
        notes["both"].pk,
        notes["other"].pk,
    ]

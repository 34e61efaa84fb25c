"""An episode's length from players' reports: nobody alone can fix a false one.

A report restricts notes (and moves a known length) only once the length is trustworthy:
reported by staff, or agreed by two independent reporters (different people and addresses).
"""

from __future__ import annotations

import pytest
from django.test import Client

from apps.annotations.models import Annotation
from apps.episodes.models import Episode
from tests.annotations.factories import make_annotation, make_user
from tests.api.test_annotations import bearer, post_json
from tests.episodes.factories import make_two_claim_episode

pytestmark = pytest.mark.django_db

VIDEO_ID = "review00001"
URL = f"/api/episodes/{VIDEO_ID}/duration"


@pytest.fixture
def episode():
    """An episode of unknown length (as every imported one is) with claims at 1:00 and 12:30."""
    return make_two_claim_episode(VIDEO_ID)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def length(episode: Episode) -> int | None:
    return Episode.objects.get(pk=episode.pk).duration_seconds


def test_an_anonymous_length_report_cannot_shut_notes_out_of_an_episode(episode) -> None:
    stranger = Client()  # no session, no token: no CSRF needed either
    poisoned = post_json(stranger, URL, {"seconds": 1})
    ada = make_user("ada")
    note = post_json(
        Client(),
        "/api/annotations",
        {"episode": VIDEO_ID, "seconds": 754, "body": "At 12:34"},
        headers=bearer(ada),
    )
    # Two honest players, elsewhere, agree on the real length (one alone would not do).
    honest = [post_json(from_address(f"198.51.100.{n}"), URL, {"seconds": 3600}) for n in (1, 2)]

    assert (poisoned.status_code, poisoned.json()["changed"]) == (200, False)
    assert note.status_code == 201
    assert [answer.status_code for answer in honest] == [200, 200]
    assert [answer.json()["changed"] for answer in honest] == [False, True]
    assert length(episode) == 3600


def test_after_a_false_length_an_author_still_edits_the_words_of_a_note(episode) -> None:
    ada = make_user("ada")
    note = make_annotation(ada, episode=episode, seconds=754, body="Old", visibility="public")
    post_json(Client(), URL, {"seconds": 1})

    signed_in(ada).post(
        f"/notes/{note.pk}/edit/",
        {"body": "New words", "visibility": "public", "seconds": "12:34", "end_seconds": ""},
    )

    assert Annotation.objects.get(pk=note.pk).body == "New words"


def test_editing_the_words_of_a_note_past_a_confirmed_end_is_never_refused(episode) -> None:
    ada = make_user("ada")
    note = make_annotation(ada, episode=episode, seconds=754, body="Old", visibility="public")
    Episode.objects.filter(pk=episode.pk).update(duration_seconds=600)  # staff's, say

    edited = signed_in(ada).post(
        f"/notes/{note.pk}/edit/",
        {"body": "New words", "visibility": "public", "seconds": "12:34", "end_seconds": ""},
    )
    moved = signed_in(ada).post(
        f"/notes/{note.pk}/edit/",
        {"body": "New words", "visibility": "public", "seconds": "12:35", "end_seconds": ""},
    )

    assert edited.status_code == 302
    assert moved.status_code == 200  # a new time past the end is still refused
    assert "between 0:00 and 10:00" in moved.content.decode()
    assert Annotation.objects.values_list("body", "seconds").get(pk=note.pk) == ("New words", 754)


def test_repeated_small_length_reports_cannot_shrink_a_known_length(episode) -> None:
    Episode.objects.filter(pk=episode.pk).update(duration_seconds=3600)
    stranger, reported = Client(), 3600
    for _ in range(30):  # 30 of the 120 reports an hour one address may send
        reported = int(reported * 0.98) + 1
        post_json(stranger, URL, {"seconds": reported})

    assert length(episode) == 3600


def test_two_colluding_reporters_cannot_walk_an_agreed_length_down(episode) -> None:
    honest = [from_address(f"198.51.100.{n}") for n in (1, 2)]
    for client in honest:
        post_json(client, URL, {"seconds": 3600})
    pair, reported = [from_address(f"203.0.113.{n}") for n in (1, 2)], 3600
    for _ in range(10):
        reported = int(reported * 0.98) + 1
        for client in pair:
            post_json(client, URL, {"seconds": reported})

    # The pair's own small moves never move it; their far value ties the honest two: kept.
    assert length(episode) == 3600


def test_one_person_from_two_addresses_or_two_people_from_one_agree_with_nobody(episode) -> None:
    ada, bob = make_user("ada"), make_user("bob")
    for address in ("198.51.100.1", "198.51.100.2"):
        post_json(from_address(address), URL, {"seconds": 1}, headers=bearer(ada))
    assert length(episode) is None

    post_json(from_address("198.51.100.2"), URL, {"seconds": 1}, headers=bearer(bob))
    post_json(from_address("198.51.100.2"), URL, {"seconds": 1})
    assert length(episode) is None


def test_two_independent_reporters_within_tolerance_set_an_unknown_length(episode) -> None:
    first = post_json(from_address("198.51.100.1"), URL, {"seconds": 3000})
    second = post_json(from_address("198.51.100.2"), URL, {"seconds": 3003})

    assert first.json() == {"video_id": VIDEO_ID, "duration_seconds": None, "changed": False}
    assert second.json()["changed"] is True
    assert length(episode) in (3000, 3003)


def test_more_agreeing_reporters_replace_a_contradicted_agreed_length(episode) -> None:
    for n in (1, 2):
        post_json(from_address(f"203.0.113.{n}"), URL, {"seconds": 1})
    assert length(episode) == 1  # two liars agreed first

    answers = [
        post_json(from_address(f"198.51.100.{n}"), URL, {"seconds": 3600}) for n in (1, 2, 3)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["changed"] for answer in answers] == [False, False, True]
    assert length(episode) == 3600


def test_staff_s_player_confirms_a_length_alone_and_reports_cannot_overturn_it(episode) -> None:
    staff = make_user("staff")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])

    confirmed = post_json(Client(), URL, {"seconds": 3600}, headers=bearer(staff))
    for n in (1, 2, 3):
        post_json(from_address(f"203.0.113.{n}"), URL, {"seconds": 1})
    far = post_json(from_address("203.0.113.9"), URL, {"seconds": 100})

    assert confirmed.json() == {"video_id": VIDEO_ID, "duration_seconds": 3600, "changed": True}
    assert far.status_code == 409
    assert length(episode) == 3600

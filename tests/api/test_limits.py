"""Rate limits on the API's writes: 429, `{"detail": ...}` and Retry-After; reads never count.

The rates are the product's (apps/settings.py): 60 note writes a minute per person and 300
per address, 10 imports an hour per person and 30 per address, 10 tokens an hour per person.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.accounts.models import ApiToken
from apps.annotations.models import Annotation
from tests.accounts.test_limits import retry_after, try_again
from tests.annotations.factories import PASSWORD, make_annotation, make_user
from tests.episodes.factories import make_episode

from .test_annotations import bearer, patch_json, post_json

pytestmark = pytest.mark.django_db

WRITE_REFUSAL = "Too many notes written, changed or deleted for now."


@pytest.fixture
def episode(db):
    return make_episode(video_id="limited0001", title="Limited")


def write(client: Client, episode, headers: dict[str, str], body: str = "A note"):
    note = {"episode": episode.video_id, "seconds": 5, "body": body}
    return post_json(client, "/api/annotations", note, headers=headers)


def write_many(client: Client, episode, headers: dict[str, str], count: int) -> list[int]:
    return [write(client, episode, headers, f"note {n}").status_code for n in range(count)]


def assert_refused(response, message: str) -> None:
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": f"{message} {try_again(response)}"}
    assert retry_after(response) >= 1


def test_the_sixty_first_note_write_of_a_minute_is_refused_then_allowed_again(
    client, episode, rate_clock
) -> None:
    ada = bearer(make_user("ada"))

    statuses = write_many(client, episode, ada, 60)
    refused = write(client, episode, ada, "one too many")
    rate_clock.advance(int(refused["Retry-After"]))
    later = write(client, episode, ada, "later")

    assert statuses == [201] * 60
    assert_refused(refused, WRITE_REFUSAL)
    assert int(refused["Retry-After"]) <= 60
    assert not Annotation.objects.filter(body="one too many").exists()
    assert later.status_code == 201
    assert Annotation.objects.filter(author__username="ada", body="later").exists()


def test_changes_and_deletions_count_as_writes_and_refused_ones_change_nothing(
    client, episode, rate_clock
) -> None:
    ada_user = make_user("ada")
    ada = bearer(ada_user)
    kept = make_annotation(ada_user, episode=episode, body="Kept as it is")
    write_many(client, episode, ada, 58)
    patch_json(client, f"/api/annotations/{kept.pk}", {"visibility": "public"}, headers=ada)
    client.delete(f"/api/annotations/{Annotation.objects.last().pk}", headers=ada)

    patched = patch_json(client, f"/api/annotations/{kept.pk}", {"body": "x"}, headers=ada)
    deleted = client.delete(f"/api/annotations/{kept.pk}", headers=ada)

    assert_refused(patched, WRITE_REFUSAL)
    assert_refused(deleted, WRITE_REFUSAL)
    kept.refresh_from_db()
    assert (kept.body, kept.visibility) == ("Kept as it is", "public")


def test_one_persons_limit_leaves_others_at_the_same_address_writing(
    client, episode, rate_clock
) -> None:
    ada, bob = bearer(make_user("ada")), bearer(make_user("bob"))
    write_many(client, episode, ada, 61)

    bobs = write(client, episode, bob, "Bob's")

    assert bobs.status_code == 201
    assert Annotation.objects.get(author__username="bob").body == "Bob's"


def test_reading_is_never_limited(client, episode, rate_clock) -> None:
    ada = bearer(make_user("ada"))
    write_many(client, episode, ada, 61)

    reads = [client.get("/api/annotations?mine=1", headers=ada) for _ in range(70)]

    assert {response.status_code for response in reads} == {200}
    assert reads[-1].json()["count"] == 60


def test_three_hundred_writes_from_one_address_hold_back_everyone_there(
    client, episode, rate_clock
) -> None:
    for number in range(5):
        assert write_many(client, episode, bearer(make_user(f"writer{number}")), 60) == [201] * 60
    sixth = bearer(make_user("sixth"))

    refused = write(client, episode, sixth)
    # Without a trusted proxy, X-Forwarded-For is anyone's to send: it changes nothing.
    forged = write(client, episode, {**sixth, "X-Forwarded-For": "198.51.100.1"})
    elsewhere = write(Client(REMOTE_ADDR="192.0.2.7"), episode, sixth)

    assert_refused(refused, WRITE_REFUSAL)
    assert_refused(forged, WRITE_REFUSAL)
    assert elsewhere.status_code == 201
    assert Annotation.objects.count() == 301


def test_behind_a_trusted_proxy_each_client_address_counts_apart(
    client, episode, settings, rate_clock
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = []
    for number in range(6):
        headers = {**bearer(make_user(f"writer{number}")), "X-Forwarded-For": f"10.1.0.{number}"}
        statuses += write_many(Client(REMOTE_ADDR="10.0.0.1"), episode, headers, 60)

    assert statuses == [201] * 360


# Imports ------------------------------------------------------------------------------------


def collection(episode, body: str) -> dict:
    note = {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": body, "format": "text/markdown"},
        "target": {
            "source": f"https://www.youtube.com/watch?v={episode.video_id}",
            "type": "Video",
            "selector": {"type": "FragmentSelector", "value": "t=12"},
        },
    }
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [note]},
    }


def import_note(client: Client, episode, headers: dict[str, str], body: str):
    return post_json(client, "/api/annotations/import", collection(episode, body), headers=headers)


def test_the_eleventh_import_of_an_hour_is_refused_and_imports_nothing(
    client, episode, rate_clock
) -> None:
    ada, bob = bearer(make_user("ada")), bearer(make_user("bob"))

    statuses = [import_note(client, episode, ada, f"import {n}").status_code for n in range(10)]
    refused = import_note(client, episode, ada, "one import too many")
    bobs = import_note(client, episode, bob, "Bob's import")

    assert statuses == [200] * 10
    assert_refused(refused, "Too many note imports for now.")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert not Annotation.objects.filter(body="one import too many").exists()
    assert bobs.status_code == 200
    assert bobs.json()["created"] == 1


def test_import_bodies_count_per_address_before_they_are_read_even_invalid_ones(
    client, episode, rate_clock
) -> None:
    ada, bob = bearer(make_user("ada")), bearer(make_user("bob"))
    invalid = {"type": "AnnotationCollection", "first": {"type": "nothing like a page"}}

    statuses = [
        post_json(client, "/api/annotations/import", invalid, headers=ada).status_code
        for _ in range(30)
    ]
    refused = import_note(client, episode, bob, "Bob's first import")

    assert statuses == [422] * 30
    assert_refused(refused, "Too many note imports for now.")
    assert not Annotation.objects.exists()


# Tokens -------------------------------------------------------------------------------------


def test_the_eleventh_token_of_an_hour_is_refused(client, rate_clock) -> None:
    make_user("ada")

    def make_token(name: str):
        body = {"username": "ada", "password": PASSWORD, "name": name}
        return client.post("/api/tokens", json.dumps(body), content_type="application/json")

    statuses = [make_token(f"token-{n}").status_code for n in range(10)]
    refused = make_token("one-too-many")

    assert statuses == [201] * 10
    assert_refused(refused, "Too many tokens made for now.")
    assert not ApiToken.objects.filter(name="one-too-many").exists()

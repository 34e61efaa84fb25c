"""`/api/timestamps…`, `/api/corrections…` and `/api/episodes/{id}/duration`."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from apps.episodes.models import ContentVersion, Episode, Timestamp
from tests.annotations.factories import make_user

from .conftest import SEED_VIDEO_ID
from .test_annotations import bearer, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def stamp(seed_episode) -> Timestamp:
    return (
        Timestamp.objects.filter(episode=seed_episode, seconds__gt=60)
        .select_related("claim")
        .order_by("seconds", "id")
        .first()
    )


@pytest.fixture
def staff():
    user = make_user("editor")
    user.is_staff = True
    user.save()
    return user


def corrections_url(stamp: Timestamp) -> str:
    return f"/api/timestamps/{stamp.pk}/corrections"


def claims_at(client, seconds: int) -> list[int]:
    answer = client.get(f"/api/claims?episode={SEED_VIDEO_ID}&at={seconds}&limit=500")
    return [claim["id"] for claim in answer.json()["items"]]


def test_a_signed_in_reader_proposes_and_the_history_lists_it(client, stamp) -> None:
    reader = make_user("reader")
    answer = post_json(
        client,
        corrections_url(stamp),
        {"seconds": stamp.seconds + 3, "reason": "later"},
        headers=bearer(reader),
    )

    assert answer.status_code == 201
    created = answer.json()
    assert {k: created[k] for k in ("timestamp_id", "status", "seconds_from", "seconds_to")} == {
        "timestamp_id": stamp.pk,
        "status": "proposed",
        "seconds_from": stamp.seconds,
        "seconds_to": stamp.seconds + 3,
    }
    assert (created["proposed_by"], created["reason"], created["applied_by"]) == (
        "reader",
        "later",
        None,
    )
    history = client.get(corrections_url(stamp)).json()
    assert history["count"] == 1
    assert history["items"][0]["id"] == created["id"]
    stamp.refresh_from_db()
    assert stamp.seconds == created["seconds_from"]


def test_applying_needs_the_permission_and_moves_claims_at(client, stamp, staff) -> None:
    reader = make_user("reader")
    # Past every other timestamp: only the corrected one is spoken there.
    target = Timestamp.objects.order_by("-seconds").first().seconds + 100
    proposal = post_json(
        client, corrections_url(stamp), {"seconds": target}, headers=bearer(reader)
    )
    correction_id = proposal.json()["id"]
    apply_url = f"/api/corrections/{correction_id}/apply"

    refused = post_json(client, apply_url, {}, headers=bearer(reader))
    assert (refused.status_code, stamp.claim_id in claims_at(client, target)) == (403, False)
    assert "allowed to correct" in refused.json()["detail"]

    applied = post_json(client, apply_url, {}, headers=bearer(staff))
    assert applied.status_code == 200
    assert (applied.json()["status"], applied.json()["applied_by"]) == ("applied", "editor")
    stamp.refresh_from_db()
    assert stamp.seconds == target
    assert stamp.claim_id in claims_at(client, target)
    detail = client.get(f"/api/claims/{stamp.claim_id}").json()
    assert target in detail["timestamps"]
    assert detail["timestamp_ids"][detail["timestamps"].index(target)] == stamp.pk

    again = post_json(client, apply_url, {}, headers=bearer(staff))
    assert again.status_code == 409
    assert "applied" in again.json()["detail"]


def test_reverting_puts_the_time_back_and_the_episode_json_follows(client, stamp, staff) -> None:
    before = stamp.seconds
    later = Timestamp.objects.order_by("-seconds").first().seconds + 100
    client.get(f"/api/episodes/{SEED_VIDEO_ID}")  # kept under the content version
    made = post_json(
        client, corrections_url(stamp), {"seconds": later, "apply": True}, headers=bearer(staff)
    )
    assert (made.status_code, made.json()["status"]) == (201, "applied")
    tree = json.dumps(client.get(f"/api/episodes/{SEED_VIDEO_ID}").json())
    assert str(later) in tree
    assert stamp.claim_id in claims_at(client, later)

    reverted = post_json(
        client, f"/api/corrections/{made.json()['id']}/revert", {}, headers=bearer(staff)
    )

    assert (reverted.status_code, reverted.json()["status"]) == (200, "reverted")
    assert reverted.json()["reverted_by"] == "editor"
    stamp.refresh_from_db()
    assert stamp.seconds == before
    assert stamp.claim_id not in claims_at(client, later)
    assert str(later) not in json.dumps(client.get(f"/api/episodes/{SEED_VIDEO_ID}").json())
    second = post_json(
        client, f"/api/corrections/{made.json()['id']}/revert", {}, headers=bearer(staff)
    )
    assert second.status_code == 409


def test_correcting_at_once_without_the_permission_is_forbidden(client, stamp) -> None:
    answer = post_json(
        client,
        corrections_url(stamp),
        {"seconds": 5, "apply": True},
        headers=bearer(make_user("r")),
    )
    assert answer.status_code == 403
    assert client.get(corrections_url(stamp)).json()["count"] == 0


def test_proposing_needs_someone_and_a_sane_time(client, stamp) -> None:
    anonymous = post_json(client, corrections_url(stamp), {"seconds": 5})
    assert anonymous.status_code == 401
    reader = bearer(make_user("reader"))
    unchanged = post_json(
        client, corrections_url(stamp), {"seconds": stamp.seconds}, headers=reader
    )
    assert unchanged.status_code == 409
    assert "already reads" in unchanged.json()["detail"]
    apply_as_number = post_json(
        client, corrections_url(stamp), {"seconds": 5, "apply": 0}, headers=reader
    )
    assert apply_as_number.status_code == 422
    too_late = post_json(client, corrections_url(stamp), {"seconds": 48 * 3600 + 1}, headers=reader)
    assert too_late.status_code == 422
    missing = post_json(
        client, "/api/timestamps/999999/corrections", {"seconds": 5}, headers=reader
    )
    assert (missing.status_code, missing.json()["detail"]) == (404, "No timestamp 999999.")
    assert client.get("/api/corrections/999999/apply").status_code == 405


def test_two_anonymous_players_set_an_unknown_duration_once(seed_episode) -> None:
    client = Client(enforce_csrf_checks=True)
    url = f"/api/episodes/{SEED_VIDEO_ID}/duration"
    refused = post_json(client, url, {"seconds": 3000})
    assert refused.status_code == 403
    assert Episode.objects.get(pk=seed_episode.pk).duration_seconds is None

    client.get(seed_episode.get_absolute_url())  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    before = ContentVersion.current()
    alone = post_json(client, url, {"seconds": 3000}, HTTP_X_CSRFTOKEN=token)
    # One reporter alone is not believed: a second one elsewhere must agree.
    assert alone.json() == {"video_id": SEED_VIDEO_ID, "duration_seconds": None, "changed": False}
    answer = post_json(Client(REMOTE_ADDR="198.51.100.7"), url, {"seconds": 3001})

    assert answer.status_code == 200
    assert answer.json()["changed"] is True
    assert answer.json()["duration_seconds"] in (3000, 3001)
    assert ContentVersion.current() == before + 1
    same = post_json(client, url, {"seconds": 3000}, HTTP_X_CSRFTOKEN=token)
    assert same.json()["changed"] is False
    assert ContentVersion.current() == before + 1


@pytest.mark.parametrize(
    ("reported", "status", "kept"),
    [(3059, 200, 3000), (2941, 200, 3000), (3061, 409, 3000), (100, 409, 3000), (0, 422, 3000)],
)
def test_a_known_duration_is_not_moved_by_a_report(
    client, seed_episode, reported, status, kept
) -> None:
    # Known from staff (here, as from the admin): a report within the tolerance agrees with
    # it and changes nothing, one farther is refused.
    Episode.objects.filter(pk=seed_episode.pk).update(duration_seconds=3000)

    answer = post_json(client, f"/api/episodes/{SEED_VIDEO_ID}/duration", {"seconds": reported})

    assert answer.status_code == status
    assert Episode.objects.get(pk=seed_episode.pk).duration_seconds == kept


def test_duration_reports_are_rate_limited(client, seed_episode, settings, rate_clock) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "duration_report": {"address": "2/h"}}
    url = f"/api/episodes/{SEED_VIDEO_ID}/duration"

    statuses = [post_json(client, url, {"seconds": 3000}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert (
        post_json(client, "/api/episodes/AAAAAAAAAAA/duration", {"seconds": 5}).status_code == 429
    )

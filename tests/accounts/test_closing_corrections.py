"""Deleting an account takes the words it wrote as timestamp corrections' reasons with it
(finding 5 of the hostile review): a proposal still pending is dropped, a correction applied
or reverted keeps its times (the history of the timestamp) without its reason or proposer."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.episodes.corrections import correction_apply, correction_propose
from apps.episodes.models import Timestamp, TimestampCorrection
from tests.annotations.factories import PASSWORD, make_user
from tests.episodes.factories import make_article, make_claim, make_episode

pytestmark = pytest.mark.django_db

VIDEO_ID = "closing0002"
SECRET = "Ada Lovelace, ada@example.com"


@pytest.fixture
def later() -> Timestamp:
    episode = make_episode(video_id=VIDEO_ID, title="Corrections")
    make_claim(make_article(episode), text="Later", seconds=[750])
    return Timestamp.objects.get(claim__text="Later")


def staff():
    person = make_user("staffer")
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    return person


def close(user) -> None:
    client = Client()
    client.force_login(user)
    closed = client.post("/accounts/delete/", {"password": PASSWORD, "public_notes": "delete"})
    assert closed.status_code == 302


def shown(timestamp: Timestamp) -> tuple[str, list[dict]]:
    page = Client().get(f"/claims/{timestamp.claim_id}/timestamps/").content.decode()
    history = Client().get(f"/api/timestamps/{timestamp.pk}/corrections").json()["items"]
    return page, history


def test_a_deleted_account_s_pending_proposal_is_dropped(later) -> None:
    ada, bea = make_user("ada"), make_user("bea")
    client = Client()
    client.force_login(ada)
    client.post(
        f"/claims/{later.claim_id}/timestamps/",
        {"timestamp": later.pk, "at": "12:40", "reason": SECRET},
    )
    kept = correction_propose(timestamp=later, proposer=bea, seconds=755, reason="Bea's")
    assert TimestampCorrection.objects.filter(proposed_by=ada, reason=SECRET).exists()

    close(ada)
    page, history = shown(later)

    # Adapted from the review, which kept the proposal with its reason emptied: a proposal
    # nobody stands behind any more is dropped, as the brief asks.
    assert list(TimestampCorrection.objects.all()) == [kept]
    assert "ada@example.com" not in page
    assert SECRET not in str(history)
    assert "Bea&#x27;s" in page or "Bea's" in page


def test_a_deleted_account_s_applied_correction_keeps_its_times_not_its_reason(later) -> None:
    ada = make_user("ada")
    proposal = correction_propose(timestamp=later, proposer=ada, seconds=760, reason=SECRET)
    correction_apply(correction=proposal, corrector=staff())

    close(ada)
    page, history = shown(later)

    correction = TimestampCorrection.objects.get()
    assert (correction.status, correction.seconds_to, correction.reason) == ("applied", 760, "")
    assert correction.proposed_by is None
    assert Timestamp.objects.get(claim__text="Later").seconds == 760
    assert "ada@example.com" not in page
    assert [(item["seconds_to"], item["reason"]) for item in history] == [(760, "")]


def test_others_reasons_stay_when_an_account_is_deleted(later) -> None:
    ada, bea = make_user("ada"), make_user("bea")
    proposal = correction_propose(timestamp=later, proposer=bea, seconds=760, reason="Bea's")
    correction_apply(correction=proposal, corrector=staff())

    close(ada)

    assert TimestampCorrection.objects.get().reason == "Bea's"


def test_the_episode_page_kept_before_forgets_the_reason(later) -> None:
    ada = make_user("ada")
    proposal = correction_propose(timestamp=later, proposer=ada, seconds=760, reason=SECRET)
    correction_apply(correction=proposal, corrector=staff())
    before = Client().get(f"/episodes/{VIDEO_ID}/").content.decode()

    close(ada)
    after = Client().get(f"/episodes/{VIDEO_ID}/").content.decode()

    assert "ada@example.com" in before  # the page shows the history it kept
    assert "ada@example.com" not in after
    assert 'class="correction-times"' in after

"""NUL characters (which PostgreSQL cannot store) are refused or dropped, never a 500."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client

from apps.episodes.models import Episode, Timestamp, TimestampCorrection
from tests.annotations.factories import make_user
from tests.episodes.factories import make_two_claim_episode

pytestmark = pytest.mark.django_db

VIDEO_ID = "review00001"


@pytest.fixture
def episode():
    return make_two_claim_episode(VIDEO_ID)


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_correction_s_reason_with_nul_is_refused_not_a_500(episode) -> None:
    later = Timestamp.objects.get(claim__text="Later")
    client = signed_in(make_user("ada"))

    answer = client.post(
        f"/claims/{later.claim_id}/timestamps/",
        {"timestamp": later.pk, "at": "12:40", "reason": "off by ten\x00"},
        follow=True,
    )

    # The page's form answers its refusals as a message over the page it returns to.
    assert answer.redirect_chain == [(f"/claims/{later.claim_id}/timestamps/", 302)]
    assert "Null characters are not allowed." in answer.content.decode()
    assert not TimestampCorrection.objects.exists()


def test_a_correction_s_reason_without_nul_is_taken(episode) -> None:
    later = Timestamp.objects.get(claim__text="Later")

    answer = signed_in(make_user("ada")).post(
        f"/claims/{later.claim_id}/timestamps/",
        {"timestamp": later.pk, "at": "12:40", "reason": "off by ten"},
    )

    assert answer.status_code == 302
    assert TimestampCorrection.objects.get().reason == "off by ten"


@pytest.mark.parametrize("query", ["%00", "abc%00def", "review00001%00"])
def test_review_page_with_a_nul_episode_is_404_not_a_500(episode, query) -> None:
    staff = make_user("staff")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])

    assert signed_in(staff).get(f"/review/timestamps/?episode={query}").status_code == 404


class _OEmbedAnswer(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False


def test_an_oembed_title_with_nul_still_adds_the_episode(db, settings, monkeypatch) -> None:
    settings.SEEKNOTES_OEMBED_URL = "http://oembed.invalid/oembed"
    title = json.dumps({"title": "Never\u0000 gonna"}).encode()
    monkeypatch.setattr("apps.episodes.adding.urlopen", lambda *a, **k: _OEmbedAnswer(title))

    answer = signed_in(make_user("ada")).post("/episodes/new/", {"url": "dQw4w9WgXcQ", "title": ""})

    assert answer.status_code == 302
    assert Episode.objects.get(video_id="dQw4w9WgXcQ").title == "Never gonna"

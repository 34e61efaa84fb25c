"""The pages for correcting timestamps: a claim's times, the episode page, the review page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.episodes.models import Claim, Episode, Timestamp, TimestampCorrection
from apps.ingest.importer import import_paths
from tests.episodes.test_corrections import CALIBRATED, DOCUMENT, PREDICTS

pytestmark = pytest.mark.django_db

EPISODE_URL = "/episodes/CCCCCCCCCCC/"


@pytest.fixture(autouse=True)
def document(tmp_path: Path) -> None:
    path = tmp_path / "training.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    import_paths([path])


def signed_in(client: Client, name: str, *, staff: bool = False) -> Client:
    user = get_user_model().objects.create_user(name, password="a long passphrase 1")
    user.is_staff = staff
    user.save()
    client.force_login(user)
    return client


def claim(text_start: str) -> Claim:
    return Claim.objects.get(text__startswith=text_start)


def stamp(text_start: str, position: int = 0) -> Timestamp:
    return Timestamp.objects.get(claim__text__startswith=text_start, position=position)


def claim_url(text_start: str) -> str:
    return f"/claims/{claim(text_start).pk}/timestamps/"


def propose(client: Client, text_start: str, at: str, **extra) -> object:
    data = {"timestamp": stamp(text_start, extra.pop("position", 0)).pk, "at": at, **extra}
    return client.post(claim_url(text_start), data)


def test_the_episode_page_offers_fix_time_to_people_signed_in(client) -> None:
    anonymous = client.get(EPISODE_URL).content.decode()
    assert "Fix time" not in anonymous

    page = signed_in(client, "reader").get(EPISODE_URL).content.decode()

    predicts = claim(PREDICTS)
    assert (
        f'href="/claims/{predicts.pk}/timestamps/?next=/episodes/CCCCCCCCCCC/%23c{predicts.pk}"'
        in page
    )
    assert page.count(">Fix time</a>") == 2


def test_a_proposal_is_made_with_a_typed_time_and_changes_nothing(client) -> None:
    signed_in(client, "reader")
    back = f"{EPISODE_URL}#c{claim(PREDICTS).pk}"

    answer = propose(client, PREDICTS, "1:41", position=1, reason="late", next=back)

    assert (answer.status_code, answer["Location"]) == (302, back)
    correction = TimestampCorrection.objects.get()
    assert (correction.status, correction.seconds_from, correction.seconds_to) == (
        "proposed",
        100,
        101,
    )
    assert (correction.reason, correction.proposed_by.username) == ("late", "reader")
    assert stamp(PREDICTS, 1).seconds == 100
    page = client.get(EPISODE_URL).content.decode()
    assert "Proposed 1:41" in page
    assert "ts--corrected" not in page


def test_a_time_that_cannot_be_read_is_refused_with_a_message(client) -> None:
    signed_in(client, "reader")

    answer = propose(client, PREDICTS, "soon", next=EPISODE_URL)

    assert answer.status_code == 302
    assert "type a time such as" in client.get(EPISODE_URL).content.decode()
    assert not TimestampCorrection.objects.exists()


def test_the_claim_page_lists_the_history_and_offers_apply_to_correctors(client) -> None:
    signed_in(client, "reader")
    propose(client, PREDICTS, "1:41", position=1)
    reader_view = client.get(claim_url(PREDICTS)).content.decode()
    assert "1:40 → 1:41" in reader_view
    assert "data-correction-apply" not in reader_view
    assert "Apply at once" not in reader_view

    staff_view = signed_in(Client(), "editor", staff=True).get(claim_url(PREDICTS))

    assert "Apply 1:41" in staff_view.content.decode()
    assert 'href="/review/timestamps/?episode=CCCCCCCCCCC"' in staff_view.content.decode()
    assert "/review/timestamps/" not in reader_view
    assert "Apply at once" in staff_view.content.decode()


def test_applying_and_reverting_show_on_the_kept_episode_page(client) -> None:
    signed_in(client, "reader")
    propose(client, PREDICTS, "1:41", position=1)
    correction = TimestampCorrection.objects.get()
    anonymous = Client()
    assert 'data-seconds="100"' in anonymous.get(EPISODE_URL).content.decode()  # kept now
    editor = signed_in(Client(), "editor", staff=True)

    applied = editor.post(f"/corrections/{correction.pk}/apply/", {"next": EPISODE_URL})

    assert (applied.status_code, applied["Location"]) == (302, EPISODE_URL)
    page = anonymous.get(EPISODE_URL).content.decode()
    assert 'data-seconds="101"' in page
    assert 'class="ts ts--corrected"' in page
    assert "<summary>Timestamp corrected" in page
    assert "1:40 → 1:41" in page

    editor.post(f"/corrections/{correction.pk}/revert/", {"next": EPISODE_URL})

    page = anonymous.get(EPISODE_URL).content.decode()
    assert 'data-seconds="100"' in page
    assert "ts--corrected" not in page
    assert "Reverted" in page  # the history stays, closed
    assert stamp(PREDICTS, 1).seconds == 100


def test_people_without_the_permission_cannot_apply(client) -> None:
    signed_in(client, "reader")
    propose(client, PREDICTS, "1:41", position=1)
    correction = TimestampCorrection.objects.get()

    answer = client.post(f"/corrections/{correction.pk}/apply/")

    assert answer.status_code == 403
    correction.refresh_from_db()
    assert correction.status == "proposed"


def test_a_corrector_corrects_at_once(client) -> None:
    signed_in(client, "editor", staff=True)

    propose(client, PREDICTS, "95", apply="1")

    assert stamp(PREDICTS).seconds == 95
    assert TimestampCorrection.objects.get().status == "applied"


def test_signed_out_people_are_sent_to_sign_in(client) -> None:
    page = client.get(claim_url(PREDICTS)).content.decode()
    assert "to propose a correction" in page

    answer = propose(client, PREDICTS, "1:41")

    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    assert not TimestampCorrection.objects.exists()


def test_the_htmx_form_comes_with_set_to_now(client) -> None:
    signed_in(client, "reader")

    fragment = client.get(claim_url(PREDICTS), headers={"HX-Request": "true"}).content.decode()

    assert fragment.lstrip().startswith('<div class="claim-fix" data-claim-fix>')
    assert "data-fix-now" in fragment
    assert '<select name="timestamp"' in fragment  # two timestamps: choose one


def test_the_review_page_is_for_correctors_only(client) -> None:
    signed_in(client, "reader")
    assert client.get("/review/timestamps/").status_code == 404
    assert Client().get("/review/timestamps/").status_code == 302


def test_the_review_page_offers_the_mmss_reading_in_one_click(client) -> None:
    signed_in(client, "editor", staff=True)
    page = client.get("/review/timestamps/").content.decode()
    assert "42:34:00" in page
    assert "is six hours or more in" in page
    assert "Propose 42:34" in page

    answer = client.post(
        claim_url(CALIBRATED),
        {
            "timestamp": stamp(CALIBRATED).pk,
            "at": str(42 * 60 + 34),
            "reason": "42:34:00 reads as MM:SS:00",
            "next": "/review/timestamps/",
        },
    )

    assert answer["Location"] == "/review/timestamps/"
    correction = TimestampCorrection.objects.get()
    assert (correction.seconds_to, correction.status) == (2554, "proposed")


def test_the_review_page_lists_times_past_a_known_end_and_runs_backwards(client) -> None:
    Episode.objects.update(duration_seconds=99)
    signed_in(client, "editor", staff=True)

    page = client.get("/review/timestamps/?episode=CCCCCCCCCCC").content.decode()

    assert "is past the end (1:39)" in page
    assert "1:40</strong></a>" in page
    # 1:40 and 42:34:00, whose MM:SS:00 reading (42:34) is past the end too: nothing offered.
    assert "2 timestamps" in page
    assert "Propose" not in page
    assert "runs backwards" not in page


def test_a_run_backwards_is_listed(client, tmp_path: Path) -> None:
    path = tmp_path / "backwards.md"
    path.write_text(
        DOCUMENT.replace('"00:01:40">[00:01:40]', '"00:01:10">[00:01:10]').replace(
            "Training", "Backwards"
        ),
        encoding="utf-8",
    )
    import_paths([path])
    signed_in(client, "editor", staff=True)

    page = client.get("/review/timestamps/").content.decode()

    assert "runs backwards after 1:37" in page

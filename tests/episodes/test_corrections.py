"""Timestamp corrections: proposed, applied, reverted, and kept across re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from apps.episodes.corrections import (
    correction_apply,
    correction_make,
    correction_propose,
    correction_revert,
    corrections_of,
    mmss_reading,
)
from apps.episodes.models import Claim, ContentVersion, Timestamp, TimestampCorrection
from apps.ingest.importer import import_paths

pytestmark = pytest.mark.django_db

DOCUMENT = """---
title: Training
videoId: CCCCCCCCCCC
---

## Pre-training
*   The model predicts the next token <a class="yt-timestamp" data-t="00:01:37">[00:01:37]</a> and then another <a class="yt-timestamp" data-t="00:01:40">[00:01:40]</a>.
*   Base models are calibrated <a class="yt-timestamp" data-t="42:34:00">[42:34:00]</a>.
"""

PREDICTS = "The model predicts the next token"
CALIBRATED = "Base models are calibrated"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "training.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    report = import_paths([path])
    assert report.articles == 1
    return path


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader", password="a long passphrase 1")


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        "editor", password="a long passphrase 1", is_staff=True
    )


def stamp(text_start: str, position: int = 0) -> Timestamp:
    return Timestamp.objects.select_related("claim", "episode").get(
        claim__text__startswith=text_start, position=position
    )


def claim_html(text_start: str) -> str:
    return Claim.objects.get(text__startswith=text_start).html


def test_a_proposal_changes_nothing_until_applied(document, reader) -> None:
    correction = correction_propose(
        timestamp=stamp(PREDICTS, 1), proposer=reader, seconds=101, reason="one second late"
    )

    assert (correction.status, correction.seconds_from, correction.seconds_to) == (
        "proposed",
        100,
        101,
    )
    assert correction.reason == "one second late"
    assert stamp(PREDICTS, 1).seconds == 100


def test_applying_moves_the_timestamp_its_link_and_the_content_version(
    document, reader, staff
) -> None:
    correction = correction_propose(timestamp=stamp(PREDICTS, 1), proposer=reader, seconds=101)
    before = ContentVersion.current()

    correction_apply(correction=correction, corrector=staff)

    assert stamp(PREDICTS, 1).seconds == 101
    assert stamp(PREDICTS, 0).seconds == 97
    html = claim_html(PREDICTS)
    assert 'data-seconds="97">1:37</a>' in html
    assert (
        '<a class="ts ts--corrected" href="https://www.youtube.com/watch?v=CCCCCCCCCCC&amp;'
        't=101s" data-seconds="101" title="Corrected; the notes said 1:40">1:41</a>'
    ) in html
    assert ContentVersion.current() == before + 1
    correction.refresh_from_db()
    assert (correction.status, correction.applied_by) == ("applied", staff)


def test_reverting_puts_the_time_and_the_plain_link_back(document, staff) -> None:
    original = claim_html(PREDICTS)
    correction = correction_make(timestamp=stamp(PREDICTS, 1), corrector=staff, seconds=101)
    before = ContentVersion.current()

    correction_revert(correction=correction, corrector=staff)

    assert stamp(PREDICTS, 1).seconds == 100
    assert claim_html(PREDICTS) == original
    assert ContentVersion.current() == before + 1
    history = list(corrections_of(stamp(PREDICTS, 1)))
    assert [(c.status, c.seconds_to, c.reverted_by) for c in history] == [("reverted", 101, staff)]


def test_only_the_correction_in_force_can_be_reverted(document, staff) -> None:
    first = correction_make(timestamp=stamp(PREDICTS, 1), corrector=staff, seconds=101)
    second = correction_make(timestamp=stamp(PREDICTS, 1), corrector=staff, seconds=102)

    with pytest.raises(ValidationError):
        correction_revert(correction=first, corrector=staff)
    correction_revert(correction=second, corrector=staff)

    assert stamp(PREDICTS, 1).seconds == 101
    assert "ts--corrected" in claim_html(PREDICTS)
    assert second.seconds_from == 101


def test_people_without_the_permission_cannot_apply_or_correct(document, reader) -> None:
    correction = correction_propose(timestamp=stamp(PREDICTS), proposer=reader, seconds=90)

    with pytest.raises(PermissionDenied):
        correction_apply(correction=correction, corrector=reader)
    with pytest.raises(PermissionDenied):
        correction_make(timestamp=stamp(PREDICTS), corrector=reader, seconds=90)
    assert stamp(PREDICTS).seconds == 97


def test_the_permission_lets_someone_who_is_not_staff_correct(document, reader) -> None:
    reader.user_permissions.add(Permission.objects.get(codename="correct_timestamps"))
    reader = get_user_model().objects.get(pk=reader.pk)  # permissions are cached per object

    correction_make(timestamp=stamp(PREDICTS), corrector=reader, seconds=90)

    assert stamp(PREDICTS).seconds == 90


@pytest.mark.parametrize("seconds", [-1, 48 * 3600 + 1, 97])
def test_times_out_of_range_or_unchanged_are_refused(document, reader, seconds) -> None:
    with pytest.raises(ValidationError):
        correction_propose(timestamp=stamp(PREDICTS), proposer=reader, seconds=seconds)
    assert not TimestampCorrection.objects.exists()


def test_a_known_duration_bounds_proposals(document, reader) -> None:
    timestamp = stamp(PREDICTS)
    timestamp.episode.duration_seconds = 3000
    timestamp.episode.save()

    with pytest.raises(ValidationError):
        correction_propose(timestamp=stamp(PREDICTS), proposer=reader, seconds=3001)
    assert correction_propose(timestamp=stamp(PREDICTS), proposer=reader, seconds=3000)


def test_the_mmss_reading_takes_hours_for_minutes() -> None:
    assert mmss_reading(42 * 3600 + 34 * 60) == 42 * 60 + 34
    assert mmss_reading(42 * 3600 + 34 * 60 + 1) is None
    assert mmss_reading(34 * 60) is None


def test_an_unchanged_document_is_skipped_and_its_correction_stays(document, staff) -> None:
    correction_make(timestamp=stamp(CALIBRATED), corrector=staff, seconds=2554)

    report = import_paths([document])

    assert (report.articles, report.unchanged) == (0, 1)
    assert stamp(CALIBRATED).seconds == 2554


def test_a_correction_survives_a_reimport_that_writes_the_same_times_again(document, staff) -> None:
    correction_make(timestamp=stamp(CALIBRATED), corrector=staff, seconds=2554)
    Timestamp.objects.all().delete()  # what a forced rewrite would leave: rows written anew
    document.write_text(DOCUMENT + "\n", encoding="utf-8")  # a new hash: written again

    report = import_paths([document])

    assert report.articles == 1
    assert stamp(CALIBRATED).seconds == 2554
    assert 'data-seconds="2554"' in claim_html(CALIBRATED)
    assert "ts--corrected" in claim_html(CALIBRATED)
    assert not [w for w in report.warnings if "correction" in w]


def test_a_correction_is_kept_and_reported_where_the_source_moved(document, staff) -> None:
    correction_make(timestamp=stamp(PREDICTS, 1), corrector=staff, seconds=101)
    document.write_text(DOCUMENT.replace('"00:01:40">[00:01:40]', '"00:01:45">[00:01:45]'))

    report = import_paths([document])

    assert stamp(PREDICTS, 1).seconds == 101
    assert (
        f"{document}:7: timestamp 1:45 was 1:40 when it was corrected to 1:41; the "
        "correction is kept" in report.warnings
    )


def test_the_import_names_file_and_line_of_an_hour_field_that_reads_as_minutes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "training.md"
    path.write_text(DOCUMENT, encoding="utf-8")

    report = import_paths([path])

    assert (
        f"{path}:8: 1 timestamp(s) at six hours or more, first 42:34:00: read as MM:SS:00 it "
        "is 42:34; see the timestamp review page"
    ) in report.warnings


def test_a_correction_whose_claim_changed_is_kept_and_reported(document, staff) -> None:
    correction_make(timestamp=stamp(PREDICTS, 1), corrector=staff, seconds=101)
    document.write_text(DOCUMENT.replace("and then another", "and then one more"))

    report = import_paths([document])

    assert stamp(PREDICTS, 1).seconds == 100
    assert (
        f"{document}:1: the correction of 1:40 to 1:41 no longer finds its timestamp (its "
        "claim changed or lost it); it is kept, and applies again if the claim comes back"
    ) in report.warnings
    assert TimestampCorrection.objects.get().status == "applied"

    document.write_text(DOCUMENT)
    import_paths([document])

    assert stamp(PREDICTS, 1).seconds == 101

"""Re-importing a changed document never loses an annotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim, Episode
from apps.ingest.importer import import_paths

pytestmark = pytest.mark.django_db

DOCUMENT = """---
title: Training
videoId: CCCCCCCCCCC
---

## Pre-training
*   The model learns to predict the next token from the previous ones <a class="yt-timestamp" data-t="00:01:37">[00:01:37]</a>.
*   Base models are well calibrated about their own uncertainty <a class="yt-timestamp" data-t="00:01:49">[00:01:49]</a>.
*   A short third claim about data mixtures <a class="yt-timestamp" data-t="00:02:10">[00:02:10]</a>.

## Post-training
*   Post-training narrows the model to a helpful assistant persona <a class="yt-timestamp" data-t="00:02:17">[00:02:17]</a>.
"""

PREDICT = "The model learns to predict the next token from the previous ones"
CALIBRATED = "Base models are well calibrated about their own uncertainty"
ASSISTANT = "Post-training narrows the model to a helpful assistant persona"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "training.md"
    path.write_text(DOCUMENT, encoding="utf-8")
    import_paths([path])
    return path


@pytest.fixture
def author():
    return get_user_model().objects.create_user("reader", password="a long passphrase 1")


def annotate(author, text_start: str, body: str) -> Annotation:
    claim = Claim.objects.get(text__startswith=text_start)
    return annotation_create(author=author, episode=claim.article.episode, claim=claim, body=body)


def reimport(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    report = import_paths([path])
    assert (report.articles, report.failed) == (1, 0)


def claim_text_of(annotation: Annotation) -> str | None:
    annotation.refresh_from_db()
    return annotation.claim.text if annotation.claim_id else None


def test_unchanged_claims_keep_their_notes_when_another_claim_changes(document, author) -> None:
    note = annotate(author, PREDICT, "Next-token prediction")
    old_claim_id = note.claim_id

    reimport(document, "A short third claim", "A rewritten third claim")

    assert claim_text_of(note).startswith(PREDICT)
    assert note.claim_id != old_claim_id  # the claims were written anew
    assert (note.seconds, note.body, note.quote) == (97, "Next-token prediction", f"{PREDICT}.")


def test_claim_with_a_typo_fixed_keeps_its_note(document, author) -> None:
    note = annotate(author, CALIBRATED, "Calibration")

    reimport(document, "well calibrated about", "well-calibrated about")

    assert claim_text_of(note) == ("Base models are well-calibrated about their own uncertainty.")


def test_claim_with_a_sentence_added_keeps_its_note(document, author) -> None:
    note = annotate(author, ASSISTANT, "Persona")

    reimport(
        document,
        "assistant persona <a",
        "assistant persona. It also learns to refuse some requests and to ask when unsure <a",
    )

    assert claim_text_of(note).startswith(ASSISTANT + ". It also learns")


def test_reordered_claims_keep_their_notes(document, author) -> None:
    first = annotate(author, PREDICT, "first")
    second = annotate(author, CALIBRATED, "second")
    lines = DOCUMENT.splitlines()
    predict_line = next(line for line in lines if PREDICT in line)
    calibrated_line = next(line for line in lines if CALIBRATED in line)

    text = document.read_text(encoding="utf-8")
    swapped = text.replace(predict_line, "@@").replace(calibrated_line, predict_line)
    document.write_text(swapped.replace("@@", calibrated_line), encoding="utf-8")
    import_paths([document])

    assert claim_text_of(first).startswith(PREDICT)
    assert claim_text_of(second).startswith(CALIBRATED)
    assert first.claim.position == 1 and second.claim.position == 0


def test_note_on_a_removed_claim_is_detached_with_its_quote_and_time(document, author) -> None:
    note = annotate(author, "A short third claim", "About data")
    other = annotate(author, ASSISTANT, "still here")
    removed_line = next(line for line in DOCUMENT.splitlines() if "A short third claim" in line)

    reimport(document, removed_line + "\n", "")

    note.refresh_from_db()
    assert note.claim_id is None
    assert note.is_detached
    assert (note.seconds, note.quote, note.body) == (
        130,
        "A short third claim about data mixtures.",
        "About data",
    )
    assert note.episode == Episode.objects.get(video_id="CCCCCCCCCCC")
    assert claim_text_of(other).startswith(ASSISTANT)
    assert Annotation.objects.count() == 2


def test_completely_rewritten_claim_is_not_matched_to_a_stranger(document, author) -> None:
    note = annotate(author, CALIBRATED, "Calibration")

    reimport(document, CALIBRATED, "Reward models drift when the policy exploits them")

    note.refresh_from_db()
    assert note.claim_id is None
    assert note.quote == f"{CALIBRATED}."

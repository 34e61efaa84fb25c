"""A note written on a claim while its article is re-imported lands on the claim that
replaced it, or is kept detached with its quote: never a failed write."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from apps.ingest import writer
from apps.ingest.importer import import_paths

from .test_reimport_keeps_annotations import ASSISTANT, CALIBRATED, PREDICT, author, document

__all__ = ["author", "document"]  # fixtures

ON_POSTGRESQL = connection.vendor == "postgresql"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.django_db
def test_a_note_on_a_claim_replaced_before_it_was_written_moves_to_the_new_claim(
    document, author
) -> None:
    stale = Claim.objects.get(text__startswith=PREDICT)  # as a page read it, before the import
    _edit(document, ASSISTANT, ASSISTANT + " and more")
    assert import_paths([document]).failed == 0
    replacement = Claim.objects.get(text__startswith=PREDICT)
    assert replacement.pk != stale.pk

    note = annotation_create(author=author, episode=stale.article.episode, claim=stale, body="hm")

    note.refresh_from_db()
    assert (note.claim_id, note.quote, note.seconds) == (replacement.pk, replacement.text, 97)


@pytest.mark.django_db
def test_a_note_on_a_claim_gone_from_the_new_text_is_kept_with_its_quote(document, author) -> None:
    stale = Claim.objects.get(text__startswith=CALIBRATED)
    _edit(document, CALIBRATED, "Something else entirely, about the weather in spring")
    assert import_paths([document]).failed == 0

    note = annotation_create(author=author, episode=stale.article.episode, claim=stale, body="hm")

    note.refresh_from_db()
    assert (note.claim_id, note.quote, note.seconds) == (None, stale.text, None)
    assert Annotation.objects.filter(body="hm").count() == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="DATABASE_URL does not point at PostgreSQL")
def test_a_note_written_while_the_import_holds_its_transaction_open(
    transactional_db, document, author, monkeypatch
) -> None:
    stale = Claim.objects.get(text__startswith=PREDICT)
    _edit(document, ASSISTANT, ASSISTANT + " and more")
    inside, reports = threading.Event(), []
    real_insert_links = writer.insert_links

    def slow_insert_links(*args, **kwargs):
        # The old claims are deleted and the new ones written: keep the transaction open.
        inside.set()
        time.sleep(1.5)
        return real_insert_links(*args, **kwargs)

    monkeypatch.setattr(writer, "insert_links", slow_insert_links)

    def run_import() -> None:
        try:
            reports.append(import_paths([document]))
        finally:
            connections.close_all()

    importer = threading.Thread(target=run_import)
    importer.start()
    assert inside.wait(30)
    note = annotation_create(author=author, episode=stale.article.episode, claim=stale, body="hm")
    importer.join(60)

    assert [(r.articles, r.failed) for r in reports] == [(1, 0)]
    replacement = Claim.objects.get(text__startswith=PREDICT)
    note.refresh_from_db()
    assert (note.claim_id, note.quote) == (replacement.pk, replacement.text)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="DATABASE_URL does not point at PostgreSQL")
def test_an_import_waits_for_a_note_being_written_and_carries_it_over(
    transactional_db, document, author
) -> None:
    from django.db import transaction

    stale = Claim.objects.get(text__startswith=PREDICT)
    _edit(document, ASSISTANT, ASSISTANT + " and more")
    reports = []

    def run_import() -> None:
        try:
            reports.append(import_paths([document]))
        finally:
            connections.close_all()

    importer = threading.Thread(target=run_import)
    with transaction.atomic():  # the note's request, still writing when the import starts
        note = annotation_create(
            author=author, episode=stale.article.episode, claim=stale, body="hm"
        )
        importer.start()
        time.sleep(1)
    importer.join(60)

    assert [(r.articles, r.failed) for r in reports] == [(1, 0)]
    replacement = Claim.objects.get(text__startswith=PREDICT)
    note.refresh_from_db()
    assert (note.claim_id, note.quote) == (replacement.pk, replacement.text)

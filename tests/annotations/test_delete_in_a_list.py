"""Deleting from the list of one's notes (/notes/) with htmx: the list removes the note itself,
so the view answers a request aimed at the note (HX-Target: its anchor) with nothing."""

from __future__ import annotations

import json

import pytest

from apps.annotations.models import Annotation

from .factories import make_annotation, make_user


@pytest.fixture
def reader(client, db):
    user = make_user("reader")
    client.force_login(user)
    return user


def test_delete_aimed_at_the_note_answers_with_nothing_and_tells_the_page(
    client, reader, talk
) -> None:
    kept = make_annotation(reader, claim=talk.opening, body="kept")
    gone = make_annotation(reader, claim=talk.opening, body="gone")

    response = client.post(
        f"/notes/{gone.pk}/delete/", headers={"HX-Request": "true", "HX-Target": f"n{gone.pk}"}
    )

    assert response.status_code == 200
    assert response.content == b""
    assert "HX-Retarget" not in response
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "seeknotes:note-deleted": {"claim": talk.opening.pk}
    }
    assert list(Annotation.objects.values_list("pk", flat=True)) == [kept.pk]


def test_delete_aimed_at_someone_elses_note_is_not_found(client, reader, talk) -> None:
    other = make_annotation(make_user("other"), claim=talk.opening, body="theirs")

    response = client.post(
        f"/notes/{other.pk}/delete/", headers={"HX-Request": "true", "HX-Target": f"n{other.pk}"}
    )

    assert response.status_code == 404
    assert list(Annotation.objects.values_list("body", flat=True)) == ["theirs"]


def test_my_notes_lists_each_note_under_its_anchor_with_a_delete_for_htmx(client, reader, talk):
    note = make_annotation(reader, claim=talk.opening, body="mine")

    html = client.get("/notes/").content.decode()

    assert f'<li class="my-note" id="n{note.pk}" data-annotation-id="{note.pk}">' in html
    assert f'hx-post="/notes/{note.pk}/delete/" hx-target="closest [data-annotation-id]"' in html
    assert "js/note_delete_focus" in html

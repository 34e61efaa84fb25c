"""The episode page lists a few notes under each claim; "Show all N notes" lists the rest."""

from __future__ import annotations

import pytest

from apps.annotations.models import Annotation
from tests.pages.test_views import elements, page_text

from .factories import make_annotation, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def note_ids(response) -> list[int]:
    return [
        int(attrs["data-annotation-id"]) for _, attrs in elements(response, "data-annotation-id")
    ]


def show_all_links(response) -> list[tuple[str, str, str]]:
    """Each "Show all" link's address, its htmx address and its words."""
    html = response.content.decode()
    return [
        (attrs["href"], attrs["hx-get"], html.split(attrs["href"] + '"', 1)[1].split(">", 1)[1])
        for _, attrs in elements(response, "data-show-all-notes")
    ]


def public_notes(claim, count: int) -> list[Annotation]:
    author = make_user()
    return [
        make_annotation(author, claim=claim, body=f"public {n}", visibility="public")
        for n in range(count)
    ]


def test_the_page_lists_five_notes_a_claim_and_counts_only_the_visible_ones(client, talk) -> None:
    shown = public_notes(talk.opening, 8)
    make_annotation(make_user(), claim=talk.opening, body="someone's private note")
    make_annotation(make_user(), claim=talk.opening, body="another private note")

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [note.pk for note in shown[:5]]
    url = f"/claims/{talk.opening.pk}/notes/"
    assert [(href, hx) for href, hx, _ in show_all_links(response)] == [(url, url)]
    assert "Show all 8 notes" in page_text(response)
    assert "private note" not in page_text(response)


def test_a_claim_with_five_notes_or_fewer_has_no_show_all_link(client, talk) -> None:
    shown = public_notes(talk.opening, 5)

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [note.pk for note in shown]
    assert show_all_links(response) == []


def test_the_readers_own_notes_are_listed_first_then_others_in_page_order(client, talk) -> None:
    reader = make_user("reader")
    others = public_notes(talk.opening, 6)
    mine = [
        make_annotation(reader, claim=talk.opening, body="mine, private"),
        make_annotation(reader, claim=talk.opening, body="mine, public", visibility="public"),
    ]
    client.force_login(reader)

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [note.pk for note in [*others[:3], *mine]]
    assert "Show all 8 notes" in page_text(response)


def test_the_number_of_notes_a_claim_lists_is_a_setting(client, talk, settings) -> None:
    settings.NOTES_PER_CLAIM = 2
    shown = public_notes(talk.opening, 3)

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [note.pk for note in shown[:2]]
    assert "Show all 3 notes" in page_text(response)


def test_show_all_with_htmx_answers_with_every_note_the_reader_may_see(client, talk) -> None:
    notes = public_notes(talk.opening, 7)
    make_annotation(make_user(), claim=talk.opening, body="someone's private note")
    make_annotation(make_user(), claim=talk.middle, body="on another claim", visibility="public")

    response = client.get(f"/claims/{talk.opening.pk}/notes/", headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<div class="claim-notes" data-annotations-for="{talk.opening.pk}">'
    )
    assert "<html" not in html
    assert note_ids(response) == [note.pk for note in notes]
    assert "private" not in page_text(response)


def test_show_all_with_htmx_brings_long_lists_a_page_at_a_time(client, talk, monkeypatch) -> None:
    monkeypatch.setattr("apps.pages.views.notes.NOTES_PER_PAGE", 3)
    notes = public_notes(talk.opening, 7)
    url = f"/claims/{talk.opening.pk}/notes/"

    first = client.get(url, headers=HTMX)
    second = client.get(f"{url}?page=2", headers=HTMX)
    last = client.get(f"{url}?page=3", headers=HTMX)

    assert note_ids(first) == [note.pk for note in notes[:3]]
    assert [attrs["hx-get"] for _, attrs in elements(first, "hx-target")][-1] == f"{url}?page=2"
    assert second.content.decode().lstrip().startswith("<li")
    assert note_ids(second) == [note.pk for note in notes[3:6]]
    assert note_ids(last) == [notes[6].pk]
    assert "Show more notes" not in page_text(last)


def test_show_all_without_javascript_is_a_page_of_the_claims_notes(
    client, talk, monkeypatch
) -> None:
    monkeypatch.setattr("apps.pages.views.notes.NOTES_PER_PAGE", 3)
    notes = public_notes(talk.opening, 4)
    make_annotation(make_user(), claim=talk.opening, body="someone's private note")

    first = client.get(f"/claims/{talk.opening.pk}/notes/")
    second = client.get(f"/claims/{talk.opening.pk}/notes/?page=2")

    text = page_text(first)
    assert "<html" in first.content.decode()
    assert "4 notes on a claim" in text
    assert "The opening claim" in text
    assert note_ids(first) == [note.pk for note in notes[:3]]
    assert note_ids(second) == [notes[3].pk]
    assert "Show more notes" not in text
    pager = [(attrs["rel"], attrs["href"]) for _, attrs in elements(first, "rel")]
    assert [link for link in pager if link[0] in {"prev", "next"}] == [("next", "?page=2")]


def test_an_unknown_claim_has_no_notes_page(client, talk) -> None:
    assert client.get("/claims/999999/notes/").status_code == 404


def test_a_note_written_on_a_busy_claim_is_in_the_answer(client, talk) -> None:
    others = public_notes(talk.opening, 7)
    reader = make_user("reader")
    client.force_login(reader)

    response = client.post(
        f"/episodes/{talk.episode.video_id}/notes/new/",
        {"claim": talk.opening.pk, "body": "Mine, just now"},
        headers=HTMX,
    )

    written = Annotation.objects.get(author=reader)
    assert note_ids(response) == [note.pk for note in others[:4]] + [written.pk]
    assert "Show all 8 notes" in page_text(response)

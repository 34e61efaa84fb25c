"""Rate limits on the pages' writes: 429 with Retry-After, a message, and the form kept.

The rates are the product's (apps/settings.py): 60 note writes a minute per person (300 per
address) and 10 note imports an hour per person (30 per address).
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.annotations.models import Annotation
from tests.accounts.test_limits import retry_after, try_again
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode
from tests.pages.test_views import page_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
WRITE_REFUSAL = "Too many notes written, changed or deleted for now."


@pytest.fixture
def claim(db):
    episode = make_episode(video_id="limited0001", title="Limited")
    return make_claim(make_article(episode), text="A claim", seconds=[30])


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


def new_url(claim) -> str:
    return f"/episodes/{claim.article.episode.video_id}/notes/new/"


def write_many(client: Client, claim, count: int) -> list[int]:
    return [
        client.post(new_url(claim), {"claim": claim.pk, "body": f"note {n}"}).status_code
        for n in range(count)
    ]


def refusal_of(response) -> str:
    return f"{WRITE_REFUSAL} {try_again(response)}"


def test_the_sixty_first_note_of_a_minute_is_refused_and_the_form_keeps_its_text(
    client, reader, claim, rate_clock
) -> None:
    statuses = write_many(client, claim, 60)

    refused = client.post(new_url(claim), {"claim": claim.pk, "body": "My *unsaved* thought"})
    shown_again = client.get(new_url(claim), {"claim": claim.pk})

    assert statuses == [302] * 60
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refusal_of(refused) in page_text(refused)
    assert "My *unsaved* thought</textarea>" in refused.content.decode()
    assert not Annotation.objects.filter(body="My *unsaved* thought").exists()
    assert shown_again.status_code == 200


def test_with_htmx_the_refused_note_form_comes_back_in_place(
    client, reader, claim, rate_clock
) -> None:
    write_many(client, claim, 60)

    refused = client.post(
        new_url(claim), {"claim": claim.pk, "body": "Typed on the page"}, headers=HTMX
    )

    html = refused.content.decode()
    assert refused.status_code == 429
    assert html.lstrip().startswith("<form")
    assert refusal_of(refused) in page_text(refused)
    assert "Typed on the page</textarea>" in html


def test_a_refused_edit_keeps_the_new_text_and_leaves_the_note_as_it_was(
    client, reader, claim, rate_clock
) -> None:
    note = make_annotation(reader, claim=claim, body="As first written")
    write_many(client, claim, 60)

    refused = client.post(f"/notes/{note.pk}/edit/", {"body": "Rewritten", "visibility": "public"})

    note.refresh_from_db()
    assert refused.status_code == 429
    assert refusal_of(refused) in page_text(refused)
    assert "Rewritten</textarea>" in refused.content.decode()
    assert (note.body, note.visibility) == ("As first written", "private")


def test_refused_sharing_and_deleting_answer_with_the_429_page(
    client, reader, claim, rate_clock
) -> None:
    note = make_annotation(reader, claim=claim, body="Still here")
    write_many(client, claim, 60)

    shared = client.post(f"/notes/{note.pk}/share/", {"visibility": "public"})
    deleted = client.post(f"/notes/{note.pk}/delete/")

    note.refresh_from_db()
    for refused in (shared, deleted):
        assert refused.status_code == 429
        assert "Too many requests" in page_text(refused)
        assert refusal_of(refused) in page_text(refused)
    assert note.visibility == "private"


def test_with_htmx_a_refused_delete_puts_its_message_beside_the_note(
    client, reader, claim, rate_clock
) -> None:
    note = make_annotation(reader, claim=claim, body="Still here")
    write_many(client, claim, 60)

    refused = client.post(f"/notes/{note.pk}/delete/", headers=HTMX)

    assert refused.status_code == 429
    assert refused["HX-Reswap"] == "beforebegin"
    assert "<html" not in refused.content.decode()
    assert page_text(refused) == refusal_of(refused)
    assert Annotation.objects.filter(pk=note.pk).exists()


def test_another_person_at_the_same_address_still_writes(client, reader, claim, rate_clock) -> None:
    write_many(client, claim, 61)
    other = Client()
    other.force_login(make_user("other"))

    assert write_many(other, claim, 1) == [302]


# The import page ----------------------------------------------------------------------------


def upload(video_id: str, body: str) -> SimpleUploadedFile:
    note = {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": body},
        "target": {
            "source": f"https://www.youtube.com/watch?v={video_id}",
            "selector": {"type": "FragmentSelector", "value": "t=12"},
        },
    }
    document = {
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [note]},
    }
    return SimpleUploadedFile("notes.jsonld", json.dumps(document).encode())


def test_the_eleventh_import_of_an_hour_is_refused_with_a_message(
    client, reader, claim, rate_clock
) -> None:
    video_id = claim.article.episode.video_id
    statuses = [
        client.post("/notes/import/", {"file": upload(video_id, f"imported {n}")}).status_code
        for n in range(10)
    ]

    refused = client.post("/notes/import/", {"file": upload(video_id, "one too many")})

    assert statuses == [200] * 10
    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 3600
    assert f"Too many note imports for now. {try_again(refused)}" in page_text(refused)
    assert not Annotation.objects.filter(body="one too many").exists()
    assert client.get("/notes/import/").status_code == 200

"""Mark the moment: one post saves a private bookmark on the claim spoken then."""

from __future__ import annotations

import json

import pytest

from apps.annotations.models import Annotation
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode, make_section
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def talk():
    episode = make_episode(video_id="talk0000001", title="A talk")
    article = make_article(episode, title="What was said", slug="what-was-said")
    section = make_section(article, title="Part one", level=2)
    opening = make_claim(article, section=section, text="The opening claim", seconds=[60, 90])
    middle = make_claim(article, section=section, text="The middle claim", seconds=[754])
    return episode, opening, middle


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


def mark_url(episode) -> str:
    return f"/episodes/{episode.video_id}/mark/"


def test_a_mark_without_javascript_saves_a_private_bookmark_and_returns_to_the_moment(
    client, reader, talk
) -> None:
    episode, _, middle = talk

    response = client.post(mark_url(episode), {"seconds": "760"})

    [note] = Annotation.objects.all()
    assert (note.author, note.claim, note.seconds, note.body) == (reader, middle, 760, "")
    assert note.visibility == Annotation.Visibility.PRIVATE
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/{episode.video_id}/?t=760#{middle.anchor}"


def test_a_bookmark_reads_marked_at_on_the_episode_page_and_in_my_notes(
    client, reader, talk
) -> None:
    episode, _, _ = talk
    client.post(mark_url(episode), {"seconds": "754"})

    page = client.get(episode.get_absolute_url())
    mine = client.get("/notes/")

    assert "Marked at 12:34" in page_text(page)
    assert "Marked at 12:34" in page_text(mine)
    [(_, mark)] = elements(page, "data-note")
    assert mark["aria-label"] == "Marked at 12:34"


def test_a_mark_with_htmx_answers_the_claims_notes_and_redraws_the_timeline(
    client, reader, talk
) -> None:
    episode, _, middle = talk

    response = client.post(mark_url(episode), {"seconds": "12:40"}, headers=HTMX)

    [note] = Annotation.objects.all()
    assert note.seconds == 760
    assert response.status_code == 200
    assert response["HX-Retarget"] == f'[data-annotations-for="{middle.pk}"]'
    trigger = json.loads(response["HX-Trigger-After-Settle"])
    assert trigger == {"seeknotes:note-saved": {"id": note.pk}}
    assert [
        attrs["data-annotation-id"] for _, attrs in elements(response, "data-annotation-id")
    ] == [str(note.pk)]


@pytest.mark.parametrize("seconds", ["", "soon", "-3"])
def test_a_mark_without_a_readable_time_saves_nothing(client, reader, talk, seconds) -> None:
    episode, _, _ = talk

    response = client.post(mark_url(episode), {"seconds": seconds}, headers=HTMX)

    assert response.status_code == 422
    assert Annotation.objects.count() == 0


def test_a_mark_past_a_known_end_is_refused_with_the_reason(client, reader, talk) -> None:
    episode, _, _ = talk
    episode.duration_seconds = 600
    episode.save(update_fields=["duration_seconds"])

    response = client.post(mark_url(episode), {"seconds": "754"}, follow=True)

    assert Annotation.objects.count() == 0
    assert "Nothing was marked: A moment is between 0:00 and 10:00" in page_text(response)


def test_marking_needs_a_signed_in_reader_and_a_post(client, talk) -> None:
    episode, _, _ = talk

    signed_out = client.post(mark_url(episode), {"seconds": "754"})
    client.force_login(make_user("someone"))
    fetched = client.get(mark_url(episode))

    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/accounts/login/")
    assert fetched.status_code == 405
    assert Annotation.objects.count() == 0


def test_the_mark_button_is_a_form_posting_the_moment_the_page_opened_at(
    client, reader, talk
) -> None:
    episode, _, _ = talk

    response = client.get(episode.get_absolute_url(), {"t": "754"})

    [(tag, form)] = elements(response, "data-mark-form")
    assert (tag, form["method"], form["action"]) == ("form", "post", mark_url(episode))
    [seconds] = [attrs for _, attrs in elements(response, "name") if attrs["name"] == "seconds"]
    assert seconds["value"] == "754"


def test_signed_out_readers_get_no_mark_button(client, talk) -> None:
    episode, _, _ = talk

    response = client.get(episode.get_absolute_url())

    assert elements(response, "data-mark-form") == []

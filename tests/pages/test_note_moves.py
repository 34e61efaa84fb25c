"""An edit in place that changes a note's time moves it on the episode page without a reload."""

from __future__ import annotations

import json

import pytest

from apps.annotations.services import mark_moment
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode, make_section
from tests.pages.test_views import elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk():
    episode = make_episode(video_id="talk0000001", title="A talk")
    article = make_article(episode, title="What was said", slug="what-was-said")
    section = make_section(article, title="Part one", level=2)
    opening = make_claim(article, section=section, text="The opening claim", seconds=[60])
    later = make_claim(article, section=section, text="The later claim", seconds=[754])
    return episode, opening, later


def htmx_edit(client, note, data, *, from_url):
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{from_url}"}
    fields = {"body": "Written up", "visibility": "private", "seconds": "", "end_seconds": ""}
    return client.post(f"/notes/{note.pk}/edit/", {**fields, **data}, headers=headers)


def test_a_new_time_answers_the_list_it_joined_and_the_one_it_left_out_of_band(
    client, talk
) -> None:
    episode, opening, later = talk
    ada = make_user("ada")
    client.force_login(ada)
    note = mark_moment(ada, episode, 754)

    response = htmx_edit(client, note, {"seconds": "1:05"}, from_url=episode.get_absolute_url())

    html = response.content.decode()
    assert response["HX-Retarget"] == f'[data-annotations-for="{opening.pk}"]'
    assert response["HX-Reswap"] == "outerHTML"
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "seeknotes:note-saved": {"id": note.pk}
    }
    oob = f"hx-swap-oob=\"outerHTML:[data-annotations-for='{later.pk}']\""
    assert html.count(oob) == 1
    left = html[html.index(oob) :]
    assert f'data-annotation-id="{note.pk}"' not in left
    assert [
        attrs["data-annotation-id"] for _, attrs in elements(response, "data-annotation-id")
    ] == [str(note.pk)]


def test_a_new_end_redraws_the_list_in_place_with_the_range(client, talk) -> None:
    episode, _, later = talk
    ada = make_user("ada")
    client.force_login(ada)
    note = mark_moment(ada, episode, 754)

    response = htmx_edit(
        client,
        note,
        {"seconds": "12:34", "end_seconds": "13:10"},
        from_url=episode.get_absolute_url(),
    )

    assert response["HX-Retarget"] == f'[data-annotations-for="{later.pk}"]'
    # No other list comes along: only the timeline, where the note's range now shows.
    assert 'hx-swap-oob="outerHTML:' not in response.content.decode()
    assert response.content.decode().count('id="episode-timeline" hx-swap-oob="true"') == 1
    assert "12:34\u201313:10" in response.content.decode()


def test_words_alone_or_an_edit_elsewhere_answer_the_note_in_place(client, talk) -> None:
    episode, _, _ = talk
    ada = make_user("ada")
    client.force_login(ada)
    note = mark_moment(ada, episode, 754)

    words = htmx_edit(client, note, {"seconds": "12:34"}, from_url=episode.get_absolute_url())
    elsewhere = htmx_edit(client, note, {"seconds": "1:05"}, from_url=f"/notes/{note.pk}/")

    for response in (words, elsewhere):
        assert "HX-Retarget" not in response
        [(tag, _)] = elements(response, "data-annotation-id")
        assert tag == "li"
    note.refresh_from_db()
    assert note.seconds == 65


def test_a_note_moved_before_every_claim_joins_the_loose_notes_and_back(client, talk) -> None:
    episode, opening, _ = talk
    ada = make_user("ada")
    client.force_login(ada)
    note = mark_moment(ada, episode, 60)
    page = episode.get_absolute_url()

    loose = htmx_edit(client, note, {"seconds": "0:10"}, from_url=page)
    back = htmx_edit(client, note, {"seconds": "1:00"}, from_url=page)

    assert loose["HX-Retarget"] == "#loose-notes"
    assert f"hx-swap-oob=\"outerHTML:[data-annotations-for='{opening.pk}']\"" in (
        loose.content.decode()
    )
    assert back["HX-Retarget"] == f'[data-annotations-for="{opening.pk}"]'
    assert 'hx-swap-oob="outerHTML:#loose-notes"' in back.content.decode()
    note.refresh_from_db()
    assert (note.seconds, note.claim_id) == (60, opening.pk)

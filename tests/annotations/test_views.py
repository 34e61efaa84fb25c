from __future__ import annotations

import json
import re

import pytest

from apps.annotations.models import MAX_BODY_LENGTH, Annotation
from tests.pages.test_views import elements, page_text

from .factories import make_annotation, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def new_url(talk) -> str:
    return f"/episodes/{talk.episode.video_id}/notes/new/"


def note_ids(response) -> list[int]:
    return [
        int(attrs["data-annotation-id"]) for _, attrs in elements(response, "data-annotation-id")
    ]


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


# Writing on a claim -------------------------------------------------------------------------


def test_note_on_a_claim_without_javascript_redirects_back_to_the_claim(
    client, reader, talk
) -> None:
    response = client.post(new_url(talk), {"claim": talk.middle.pk, "body": "Worth *checking*"})

    note = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/episodes/talk0000001/#c{talk.middle.pk}"
    assert (note.author, note.claim, note.seconds, note.body) == (
        reader,
        talk.middle,
        120,
        "Worth *checking*",
    )
    assert note.visibility == "private"


def test_note_on_a_claim_with_htmx_answers_with_the_claims_notes_and_no_reload(
    client, reader, talk
) -> None:
    response = client.post(
        new_url(talk),
        {"claim": talk.middle.pk, "body": "Seen", "visibility": "public"},
        headers=HTMX,
    )

    note = Annotation.objects.get()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f'[data-annotations-for="{talk.middle.pk}"]'
    assert response["HX-Reswap"] == "outerHTML"
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "seeknotes:note-saved": {"id": note.pk}
    }
    body = response.content.decode()
    assert body.lstrip().startswith(
        f'<div class="claim-notes" data-annotations-for="{talk.middle.pk}">'
    )
    assert "<html" not in body
    assert note_ids(response) == [note.pk]
    assert note.visibility == "public"
    assert "<p>Seen</p>" in body


def test_opening_the_form_on_a_claim_with_htmx_returns_its_notes_and_the_form(
    client, reader, talk
) -> None:
    mine = make_annotation(reader, claim=talk.opening, body="Already here")

    response = client.get(new_url(talk), {"claim": talk.opening.pk}, headers=HTMX)

    [(_, form)] = elements(response, "data-annotation-form")
    assert form["hx-post"] == new_url(talk)
    assert note_ids(response) == [mine.pk]
    [(_, hidden)] = [attrs for attrs in elements(response, "name") if attrs[1]["name"] == "claim"]
    assert hidden["value"] == str(talk.opening.pk)
    [(_, textarea)] = [item for item in elements(response, "name") if item[0] == "textarea"]
    assert "autofocus" in textarea
    checked = [attrs["value"] for tag, attrs in elements(response, "checked")]
    assert checked == ["private"]


def test_the_form_page_without_javascript_quotes_the_claim(client, reader, talk) -> None:
    response = client.get(new_url(talk), {"claim": talk.opening.pk})

    assert response.status_code == 200
    text = page_text(response)
    assert "A note on this claim" in text
    assert "The opening claim" in text
    assert elements(response, "data-annotation-form")


def test_a_claim_of_another_episode_is_not_found(client, reader, talk) -> None:
    from tests.episodes.factories import make_article, make_claim, make_episode

    stranger = make_claim(make_article(make_episode()), text="Elsewhere")

    assert client.get(new_url(talk), {"claim": stranger.pk}).status_code == 404
    response = client.post(new_url(talk), {"claim": stranger.pk, "body": "x"})
    assert response.status_code == 200
    assert "not in this episode" in page_text(response)
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize("claim", [str(2**64), "9" * 30])
def test_a_claim_number_no_column_could_hold_is_not_found_rather_than_a_failure(
    client, reader, talk, claim
) -> None:
    assert client.get(new_url(talk), {"claim": claim}).status_code == 404
    response = client.post(new_url(talk), {"claim": claim, "body": "x"}, headers=HTMX)
    assert response.status_code == 200
    assert "not in this episode" in page_text(response)
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write something first."),
        ("   ", "Write something first."),
        ("y" * (MAX_BODY_LENGTH + 1), "Keep it to 10,000 characters (this is 10,001)."),
    ],
)
def test_empty_or_over_long_body_gets_an_error_in_place(client, reader, talk, body, error) -> None:
    response = client.post(new_url(talk), {"claim": talk.opening.pk, "body": body}, headers=HTMX)

    assert response.status_code == 200
    assert "HX-Retarget" not in response
    content = response.content.decode()
    assert content.lstrip().startswith("<form")
    assert error in page_text(response)
    [(_, textarea)] = [item for item in elements(response, "name") if item[0] == "textarea"]
    assert textarea["aria-invalid"] == "true"
    assert ("y" * 100 in content) == (len(body) > 100)  # what was typed is kept
    assert Annotation.objects.count() == 0


COSTLY_BODY_ERROR = (
    'A note may hold up to 200 opening brackets "[" (links and images included); '
    "this one has 5,000."
)


def test_a_body_too_costly_to_render_gets_an_error_on_the_new_note_form(
    client, reader, talk
) -> None:
    response = client.post(
        new_url(talk), {"claim": talk.opening.pk, "body": "![" * 5000}, headers=HTMX
    )

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<form")
    [(_, textarea)] = [item for item in elements(response, "name") if item[0] == "textarea"]
    assert textarea["aria-invalid"] == "true"
    assert COSTLY_BODY_ERROR in page_text(response)
    assert Annotation.objects.count() == 0


def test_a_body_too_costly_to_render_gets_an_error_on_the_edit_form(client, reader, talk) -> None:
    note = make_annotation(reader, claim=talk.opening, body="Short and sweet")

    response = client.post(f"/notes/{note.pk}/edit/", {"body": "![" * 5000, "visibility": ""})

    assert response.status_code == 200
    assert COSTLY_BODY_ERROR in page_text(response)
    note.refresh_from_db()
    assert (note.body, note.body_html) == ("Short and sweet", "<p>Short and sweet</p>\n")


def test_empty_body_without_javascript_shows_the_form_page_with_the_error(
    client, reader, talk
) -> None:
    response = client.post(new_url(talk), {"claim": talk.opening.pk, "body": ""})

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "Write something first." in page_text(response)
    assert "The opening claim" in page_text(response)


# Writing at a moment ------------------------------------------------------------------------


def test_note_now_attaches_to_the_claim_being_spoken(client, reader, talk) -> None:
    response = client.post(new_url(talk), {"at": "1:59", "claim": "", "body": "Now!"}, headers=HTMX)

    note = Annotation.objects.get()
    assert (note.claim, note.seconds, note.quote) == (talk.opening, 119, "The opening claim")
    assert response["HX-Retarget"] == f'[data-annotations-for="{talk.opening.pk}"]'


def test_note_now_keeps_the_claim_the_page_marked_current(client, reader, talk) -> None:
    client.post(new_url(talk), {"at": "2:05", "claim": talk.opening.pk, "body": "x"})

    note = Annotation.objects.get()
    assert (note.claim, note.seconds) == (talk.opening, 125)


@pytest.mark.parametrize(("typed", "seconds"), [("130", 130), ("2:10", 130), ("2m10s", 130)])
def test_note_now_reads_the_time_as_people_write_it(client, reader, talk, typed, seconds) -> None:
    response = client.post(new_url(talk), {"at": typed, "body": "x"})

    note = Annotation.objects.get()
    assert (note.claim, note.seconds) == (talk.middle, seconds)
    assert response["Location"] == f"/episodes/talk0000001/#c{talk.middle.pk}"


def test_note_now_before_any_claim_goes_to_the_loose_notes(client, reader, talk) -> None:
    response = client.post(new_url(talk), {"at": "0:05", "body": "Intro"}, headers=HTMX)

    note = Annotation.objects.get()
    assert (note.claim, note.seconds) == (None, 5)
    assert response["HX-Retarget"] == "#loose-notes"
    assert note_ids(response) == [note.pk]


@pytest.mark.parametrize(
    ("typed", "error"), [("soon", "Write a time such as 1:02:03"), ("", "Say when")]
)
def test_note_now_with_an_unreadable_time_gets_an_error(client, reader, talk, typed, error) -> None:
    response = client.post(new_url(talk), {"at": typed, "body": "x"}, headers=HTMX)

    assert error in page_text(response)
    assert elements(response, "data-note-now-form")
    assert Annotation.objects.count() == 0


# Editing, sharing, deleting -----------------------------------------------------------------


def test_edit_with_htmx_swaps_the_note_for_its_form_then_back(client, reader, talk) -> None:
    note = make_annotation(reader, claim=talk.opening, body="First draft")

    form = client.get(f"/notes/{note.pk}/edit/", headers=HTMX)
    saved = client.post(
        f"/notes/{note.pk}/edit/", {"body": "Second *draft*", "visibility": "public"}, headers=HTMX
    )

    assert "First draft" in form.content.decode()
    assert elements(form, "data-annotation-form")
    assert saved.status_code == 200
    assert note_ids(saved) == [note.pk]
    assert "<p>Second <em>draft</em></p>" in saved.content.decode()
    note.refresh_from_db()
    assert (note.body, note.visibility) == ("Second *draft*", "public")


def test_edit_without_javascript_redirects_to_the_claim_or_to_a_safe_next(
    client, reader, talk
) -> None:
    note = make_annotation(reader, claim=talk.opening)

    plain = client.post(f"/notes/{note.pk}/edit/", {"body": "a", "visibility": "private"})
    to_notes = client.post(f"/notes/{note.pk}/edit/", {"body": "b", "next": "/notes/"})
    elsewhere = client.post(
        f"/notes/{note.pk}/edit/", {"body": "c", "next": "https://evil.example/"}
    )

    assert plain["Location"] == f"/episodes/talk0000001/#c{talk.opening.pk}"
    assert to_notes["Location"] == "/notes/"
    assert elsewhere["Location"] == f"/episodes/talk0000001/#c{talk.opening.pk}"


def test_edit_to_an_empty_body_shows_the_error_and_keeps_the_note(client, reader, talk) -> None:
    note = make_annotation(reader, claim=talk.opening, body="Keep me")

    response = client.post(f"/notes/{note.pk}/edit/", {"body": " "}, headers=HTMX)

    assert "Write something first." in page_text(response)
    assert elements(response, "data-annotation-form")
    note.refresh_from_db()
    assert note.body == "Keep me"


def test_make_public_and_private_again(client, reader, talk) -> None:
    note = make_annotation(reader, claim=talk.opening)

    public = client.post(f"/notes/{note.pk}/share/", {"visibility": "public"}, headers=HTMX)
    note.refresh_from_db()
    assert note.visibility == "public"
    assert "Make private" in page_text(public)

    private = client.post(f"/notes/{note.pk}/share/", {"visibility": "private"})
    note.refresh_from_db()
    assert note.visibility == "private"
    assert private["Location"] == f"/episodes/talk0000001/#c{talk.opening.pk}"

    assert client.post(f"/notes/{note.pk}/share/", {"visibility": "friends"}).status_code == 400


def test_delete_with_htmx_answers_with_the_claims_remaining_notes(client, reader, talk) -> None:
    kept = make_annotation(reader, claim=talk.opening, body="kept")
    gone = make_annotation(reader, claim=talk.opening, body="gone")

    response = client.post(f"/notes/{gone.pk}/delete/", headers=HTMX)

    assert response["HX-Retarget"] == f'[data-annotations-for="{talk.opening.pk}"]'
    assert note_ids(response) == [kept.pk]
    assert list(Annotation.objects.values_list("pk", flat=True)) == [kept.pk]
    assert json.loads(response["HX-Trigger-After-Settle"]) == {
        "seeknotes:note-deleted": {"claim": talk.opening.pk}
    }


def test_delete_without_javascript_redirects_back(client, reader, talk) -> None:
    note = make_annotation(reader, claim=talk.opening)

    response = client.post(f"/notes/{note.pk}/delete/")

    assert response["Location"] == f"/episodes/talk0000001/#c{talk.opening.pk}"
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize("path", ["/notes/{pk}/delete/", "/notes/{pk}/share/"])
def test_delete_and_share_refuse_get(client, reader, talk, path) -> None:
    note = make_annotation(reader, claim=talk.opening)

    assert client.get(path.format(pk=note.pk)).status_code == 405
    assert Annotation.objects.filter(pk=note.pk, visibility="private").exists()


# The episode page ---------------------------------------------------------------------------


def test_episode_page_shows_public_notes_of_others_with_author_and_time(
    client, reader, talk
) -> None:
    other = make_user("grace")
    public = make_annotation(
        other, claim=talk.opening, seconds=75, body="Grace *agrees*", visibility="public"
    )
    private = make_annotation(other, claim=talk.opening, body="Grace's secret")
    mine = make_annotation(reader, claim=talk.opening, seconds=90, body="My own")

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [public.pk, mine.pk]
    body = response.content.decode()
    assert private.body not in body
    container = re.search(
        rf'<div class="claim-notes"[^>]*data-annotations-for="{talk.opening.pk}">(.*?)</div>\s*</li>',
        body,
        re.S,
    )
    assert container is not None
    assert "grace" in container.group(1)
    assert "<em>agrees</em>" in container.group(1)
    times = [
        (attrs["data-note-seconds"], attrs["href"])
        for _, attrs in elements(response, "data-note-seconds")
    ]
    assert ("75", "https://www.youtube.com/watch?v=talk0000001&t=75s") in times
    # Only the reader's own note offers Edit and Delete.
    edit_links = [
        attrs["href"]
        for tag, attrs in elements(response, "href")
        if attrs["href"].endswith("/edit/")
    ]
    assert edit_links == [f"/notes/{mine.pk}/edit/"]


def test_every_claim_has_an_annotations_list_and_a_note_link_for_signed_in_readers(
    client, reader, talk
) -> None:
    response = client.get(talk.episode.get_absolute_url())

    lists = [
        attrs["data-annotations-for"] for _, attrs in elements(response, "data-annotations-for")
    ]
    assert lists == [str(claim.pk) for claim in (talk.opening, talk.middle, talk.untimed)]
    note_links = [a for _, a in elements(response, "href") if "?claim=" in (a["href"] or "")]
    assert [link["href"] for link in note_links] == [
        f"{new_url(talk)}?claim={claim.pk}" for claim in (talk.opening, talk.middle, talk.untimed)
    ]
    assert {link["class"] for link in note_links} == {"claim-note-link"}
    # Plain links, which static/js/claim_links.js makes load in place (tests/e2e).
    assert [link for link in note_links if "hx-get" in link] == []
    [(_, now_form)] = elements(response, "data-note-now-form")
    assert now_form["action"] == new_url(talk)


def test_anonymous_readers_see_public_notes_and_an_invitation_to_sign_in(client, talk) -> None:
    public = make_annotation(make_user(), claim=talk.middle, body="Public", visibility="public")
    make_annotation(make_user(), claim=talk.middle, body="Private")

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [public.pk]
    assert elements(response, "data-annotation-form") == []
    assert [attrs for _, attrs in elements(response, "hx-get")] == []
    [(_, signin)] = elements(response, "data-note-signin")
    assert signin["href"] == "/accounts/login/?next=/episodes/talk0000001/"


def test_a_note_whose_claim_disappears_shows_detached_at_its_time_with_its_quote(
    client, reader, talk
) -> None:
    note = make_annotation(reader, claim=talk.middle, seconds=120, body="About the middle")
    talk.middle.delete()

    note.refresh_from_db()
    response = client.get(talk.episode.get_absolute_url())

    assert (note.claim, note.seconds, note.quote, note.is_detached) == (
        None,
        120,
        "The middle claim",
        True,
    )
    body = response.content.decode()
    loose = re.search(r'<section class="loose-notes".*?</section>', body, re.S).group(0)
    assert f'data-annotation-id="{note.pk}"' in loose
    assert "Detached" in loose
    assert "The middle claim" in loose
    assert 'data-note-seconds="120"' in loose
    assert ">2:00</a>" in loose


def test_loose_notes_are_listed_in_time_order(client, reader, talk) -> None:
    late = make_annotation(reader, episode=talk.episode, seconds=50, body="late")
    early = make_annotation(reader, episode=talk.episode, seconds=5, body="early")
    detached = make_annotation(
        reader, episode=talk.episode, seconds=20, body="d", quote="Gone claim"
    )

    response = client.get(talk.episode.get_absolute_url())

    assert note_ids(response) == [early.pk, detached.pk, late.pk]


def test_note_markdown_is_rendered_safely_on_the_episode_page(client, reader, talk) -> None:
    make_annotation(
        reader,
        claim=talk.opening,
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)",
    )

    body = client.get(talk.episode.get_absolute_url()).content.decode()

    assert "<strong>Bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "[x](javascript:alert(1))" in body
    assert '<a href="https://example.org" rel="noopener nofollow ugc">ok</a>' in body


# My notes -----------------------------------------------------------------------------------


def test_my_notes_lists_only_mine_newest_first_each_linking_to_its_moment(
    client, reader, talk
) -> None:
    first = make_annotation(reader, claim=talk.opening, seconds=60, body="first")
    second = make_annotation(
        reader, claim=talk.middle, seconds=120, body="second", visibility="public"
    )
    loose = make_annotation(reader, episode=talk.episode, seconds=7, body="loose")
    make_annotation(make_user(), claim=talk.opening, body="not mine", visibility="public")

    response = client.get("/notes/")

    assert note_ids(response) == [loose.pk, second.pk, first.pk]
    moments = [
        attrs["href"] for tag, attrs in elements(response, "class") if attrs["class"] == "note-time"
    ]
    assert moments == [
        f"/episodes/talk0000001/?t=7#n{loose.pk}",
        f"/episodes/talk0000001/?t=120#c{talk.middle.pk}",
        f"/episodes/talk0000001/?t=60#c{talk.opening.pk}",
    ]
    text = page_text(response)
    assert "3 notes" in text
    assert "not mine" not in text


def test_my_notes_page_needs_a_sign_in(client) -> None:
    response = client.get("/notes/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notes/"


def test_my_notes_page_stays_a_fixed_number_of_queries(
    client, reader, talk, django_assert_num_queries
) -> None:
    for i in range(30):
        make_annotation(
            reader, claim=talk.opening if i % 2 else None, episode=talk.episode, seconds=i
        )

    # session, user, the session's generation (signing out everywhere ends it), the filter's
    # episodes, count, the page of notes (with episodes, claims and reply counts), their tags
    with django_assert_num_queries(7):
        client.get("/notes/")

"""Who may do what to a note, through the pages and their forms.

Someone else's private note is "not found" (404), never "forbidden": its existence is not
revealed. Someone else's public note can be read but not changed (403). Anyone not signed in
who tries to write is sent to sign in.
"""

from __future__ import annotations

import re

import pytest

from apps.annotations.models import Annotation

from .factories import make_annotation, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/?next="

# (actor, visibility) -> what each action gets
EXPECTED = {
    ("owner", "private"): {"view": 200, "edit_form": 200, "edit": 302, "delete": 302},
    ("owner", "public"): {"view": 200, "edit_form": 200, "edit": 302, "delete": 302},
    ("other", "private"): {"view": 404, "edit_form": 404, "edit": 404, "delete": 404},
    ("other", "public"): {"view": 200, "edit_form": 403, "edit": 403, "delete": 403},
    ("anonymous", "private"): {"view": 404, "edit_form": LOGIN, "edit": LOGIN, "delete": LOGIN},
    ("anonymous", "public"): {"view": 200, "edit_form": LOGIN, "edit": LOGIN, "delete": LOGIN},
}
CASES = [
    (actor, visibility, action, outcome)
    for (actor, visibility), outcomes in EXPECTED.items()
    for action, outcome in outcomes.items()
]


@pytest.fixture
def arrange(client, talk):
    def arrange_for(actor: str, visibility: str) -> Annotation:
        owner = make_user("owner")
        note = make_annotation(owner, claim=talk.opening, body="Original", visibility=visibility)
        if actor == "owner":
            client.force_login(owner)
        elif actor == "other":
            client.force_login(make_user("other"))
        return note

    return arrange_for


def unmasked(response) -> str:
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def request(client, action: str, note: Annotation):
    if action == "view":
        return client.get(f"/notes/{note.pk}/")
    if action == "edit_form":
        return client.get(f"/notes/{note.pk}/edit/")
    if action == "edit":
        return client.post(f"/notes/{note.pk}/edit/", {"body": "Changed", "visibility": "public"})
    return client.post(f"/notes/{note.pk}/delete/")


@pytest.mark.parametrize(("actor", "visibility", "action", "expected"), CASES)
def test_note_access_matrix(client, arrange, actor, visibility, action, expected) -> None:
    note = arrange(actor, visibility)

    response = request(client, action, note)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected
    allowed_write = actor == "owner" and action in {"edit", "delete"}
    remaining = Annotation.objects.filter(pk=note.pk).first()
    if allowed_write and action == "delete":
        assert remaining is None
    elif allowed_write:
        assert (remaining.body, remaining.visibility) == ("Changed", "public")
    else:
        assert (remaining.body, remaining.visibility) == ("Original", visibility)
    if expected == 200 and action == "view":
        assert "Original" in response.content.decode()


@pytest.mark.parametrize(("actor", "visibility"), list(EXPECTED))
def test_share_follows_the_same_rules_as_edit(client, arrange, actor, visibility) -> None:
    note = arrange(actor, visibility)

    response = client.post(f"/notes/{note.pk}/share/", {"visibility": "public"})

    expected = EXPECTED[(actor, visibility)]["edit"]
    if expected == LOGIN:
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("actor", "visibility"), list(EXPECTED))
def test_episode_page_shows_a_note_exactly_to_those_who_may_see_it(
    client, arrange, talk, actor, visibility
) -> None:
    note = arrange(actor, visibility)

    body = client.get(talk.episode.get_absolute_url()).content.decode()

    visible = EXPECTED[(actor, visibility)]["view"] == 200
    assert (f'data-annotation-id="{note.pk}"' in body) is visible
    assert ("Original" in body) is visible
    assert (f'href="/notes/{note.pk}/edit/"' in body) is (actor == "owner")


@pytest.mark.parametrize(("actor", "visibility"), list(EXPECTED))
def test_htmx_fragments_follow_the_same_rules(client, arrange, actor, visibility) -> None:
    note = arrange(actor, visibility)

    response = client.get(f"/notes/{note.pk}/", headers={"HX-Request": "true"})

    assert response.status_code == EXPECTED[(actor, visibility)]["view"]


def test_anonymous_cannot_write_a_note(client, talk) -> None:
    response = client.post(
        f"/episodes/{talk.episode.video_id}/notes/new/", {"claim": talk.opening.pk, "body": "x"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert Annotation.objects.count() == 0


def test_someone_elses_private_note_looks_exactly_like_a_missing_one(client, arrange) -> None:
    note = arrange("other", "private")

    hidden = client.get(f"/notes/{note.pk}/")
    missing = client.get("/notes/999999/")

    assert hidden.status_code == missing.status_code == 404
    # The same page, but for the CSRF token (masked afresh on every response).
    assert unmasked(hidden) == unmasked(missing)

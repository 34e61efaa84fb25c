"""Every write needs Django's CSRF token: a page elsewhere cannot write, change or delete notes,
nor sign anyone up, in or out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from apps.annotations.models import Annotation

from .factories import PASSWORD, make_annotation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def signed_in(strict_client, talk):
    owner = make_user("owner")
    strict_client.force_login(owner)
    note = make_annotation(owner, claim=talk.opening, body="Original")
    return strict_client, note


def note_writes(talk, note) -> list[tuple[str, dict]]:
    return [
        (f"/episodes/{talk.episode.video_id}/notes/new/", {"claim": talk.opening.pk, "body": "x"}),
        (f"/episodes/{talk.episode.video_id}/notes/new/", {"at": "1:00", "body": "x"}),
        (f"/notes/{note.pk}/edit/", {"body": "Changed"}),
        (f"/notes/{note.pk}/share/", {"visibility": "public"}),
        (f"/notes/{note.pk}/delete/", {}),
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("htmx", [False, True])
def test_note_writes_without_the_csrf_token_are_refused(signed_in, talk, index, htmx) -> None:
    client, note = signed_in
    path, data = note_writes(talk, note)[index]
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.post(path, data, headers=headers)

    assert response.status_code == 403
    assert list(Annotation.objects.values_list("body", "visibility")) == [("Original", "private")]


def test_note_write_with_the_token_from_the_page_is_accepted(signed_in, talk) -> None:
    client, note = signed_in
    client.get(talk.episode.get_absolute_url())
    token = client.cookies["csrftoken"].value

    response = client.post(
        f"/notes/{note.pk}/edit/", {"body": "Changed"}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Changed"


def test_signup_without_the_csrf_token_is_refused(strict_client) -> None:
    response = strict_client.post(
        "/accounts/signup/",
        {"username": "mallory", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="mallory").exists()


def test_login_without_the_csrf_token_is_refused(strict_client) -> None:
    make_user("ada")

    response = strict_client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in strict_client.session


def test_logout_without_the_csrf_token_is_refused(signed_in) -> None:
    client, _ = signed_in

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "_auth_user_id" in client.session

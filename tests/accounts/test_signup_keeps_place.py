"""Signing up from a moment: the header keeps the place, the new account lands back on it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from tests.accounts.test_accounts import signed_in_username
from tests.annotations.factories import PASSWORD
from tests.pages.test_views import elements, page_text, seed_like_episode

pytestmark = pytest.mark.django_db

MOMENT = "/episodes/Wo95ob_s_NI/?t=754"


def hrefs(response) -> list[str]:
    return [attrs["href"] for tag, attrs in elements(response, "href") if tag == "a"]


def sign_up(client, username: str, password: str = PASSWORD, **extra: str):
    data = {"username": username, "password1": password, "password2": password, **extra}
    return client.post("/accounts/signup/", data)


def test_header_sign_up_link_carries_the_moment_the_reader_is_at(client) -> None:
    seed_like_episode()

    response = client.get(MOMENT)

    assert "/accounts/signup/?next=/episodes/Wo95ob_s_NI/%3Ft%3D754" in hrefs(response)
    assert "/accounts/login/?next=/episodes/Wo95ob_s_NI/%3Ft%3D754" in hrefs(response)


def test_signup_with_next_lands_on_the_moment_signed_in_and_welcomed(client) -> None:
    seed_like_episode()

    response = sign_up(client, "ada", next=MOMENT)
    landing = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == MOMENT
    assert signed_in_username(client) == "ada"
    [(tag, messages)] = [
        item for item in elements(landing, "class") if item[1]["class"] == "messages"
    ]
    assert (tag, messages["role"]) == ("ul", "status")
    assert "Welcome to Seeknotes, ada. You are signed in." in page_text(landing)
    assert "Welcome" not in page_text(client.get(MOMENT))


@pytest.mark.parametrize(
    "offsite", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_signup_ignores_an_offsite_next_and_lands_on_my_notes(client, offsite) -> None:
    response = sign_up(client, "ada", next=offsite)

    assert response["Location"] == "/notes/"
    assert "Welcome to Seeknotes, ada." in page_text(client.get("/notes/"))


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("48291057364", "This password is entirely numeric."),
        ("grace-hopper-99", "The password is too similar to the username."),
    ],
)
def test_a_rejected_password_marks_password1_and_keeps_the_username(
    client, password, error
) -> None:
    response = sign_up(client, "grace-hopper-99", password, next=MOMENT)
    html = response.content.decode()

    inputs = {attrs["name"]: attrs for tag, attrs in elements(response, "name") if tag == "input"}
    assert inputs["username"]["value"] == "grace-hopper-99"
    assert inputs["next"]["value"] == MOMENT
    assert inputs["password1"]["aria-invalid"] == "true"
    assert "aria-invalid" not in inputs["password2"]
    described_by = inputs["password1"]["aria-describedby"].split()
    [error_list] = re.findall(r'<ul class="errorlist" id="([^"]+)">(.*?)</ul>', html, re.S)
    assert error_list[0] in described_by
    assert error in error_list[1]
    assert not User.objects.exists()


def test_sign_in_and_sign_up_pages_link_to_each_other_keeping_next(client) -> None:
    login = client.get("/accounts/login/", {"next": MOMENT})
    signup = client.get("/accounts/signup/", {"next": MOMENT})

    assert "/accounts/signup/?next=/episodes/Wo95ob_s_NI/%3Ft%3D754" in hrefs(login)
    assert "/accounts/login/?next=/episodes/Wo95ob_s_NI/%3Ft%3D754" in hrefs(signup)

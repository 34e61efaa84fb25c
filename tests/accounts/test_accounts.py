from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.annotations.factories import PASSWORD, make_user
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db


def form_inputs(response) -> list[str]:
    """Names of the inputs of the page's account form (not of the header's forms)."""
    form = re.search(r'<form[^>]*class="stack-form".*?</form>', response.content.decode(), re.S)
    return re.findall(r'<input[^>]*\bname="([^"]+)"', form.group(0))


def signed_in_username(client) -> str | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


# Signing up ---------------------------------------------------------------------------------


def test_signup_creates_the_account_signs_in_and_opens_my_notes(client) -> None:
    response = client.post(
        "/accounts/signup/", {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/notes/"
    assert signed_in_username(client) == "ada"
    assert User.objects.get(username="ada").check_password(PASSWORD)


def test_signup_returns_to_a_safe_next_only(client) -> None:
    data = {"password1": PASSWORD, "password2": PASSWORD}

    inside = client.post("/accounts/signup/?next=/episodes/abc/", {**data, "username": "a1"})
    client.logout()
    outside = client.post(
        "/accounts/signup/", {**data, "username": "a2", "next": "//evil.example/"}
    )

    assert inside["Location"] == "/episodes/abc/"
    assert outside["Location"] == "/notes/"


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("48291057364", "This password is entirely numeric."),
        ("grace-hopper-99", "The password is too similar to the username."),
    ],
)
def test_signup_applies_the_password_validators(client, password, error) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "grace-hopper-99", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert error in page_text(response)
    assert not User.objects.exists()
    assert signed_in_username(client) is None


def test_signup_refuses_mismatched_passwords_and_a_taken_username(client) -> None:
    make_user("ada")

    mismatch = client.post(
        "/accounts/signup/", {"username": "bob", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    taken = client.post(
        "/accounts/signup/", {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert "The two password fields didn\u2019t match." in page_text(mismatch)
    assert "A user with that username already exists." in page_text(taken)
    assert list(User.objects.values_list("username", flat=True)) == ["ada"]


# Signing in and out -------------------------------------------------------------------------


def test_login_with_the_right_password_signs_in_and_follows_next(client) -> None:
    make_user("ada")

    response = client.post(
        "/accounts/login/?next=/episodes/abc/", {"username": "ada", "password": PASSWORD}
    )

    assert response["Location"] == "/episodes/abc/"
    assert signed_in_username(client) == "ada"


def test_login_with_a_wrong_password_says_so_and_stays_signed_out(client) -> None:
    make_user("ada")

    response = client.post("/accounts/login/", {"username": "ada", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in page_text(response)
    assert signed_in_username(client) is None


def test_logout_is_post_only(client) -> None:
    client.force_login(make_user("ada"))

    refused = client.get("/accounts/logout/")
    done = client.post("/accounts/logout/")

    assert refused.status_code == 405
    assert done["Location"] == "/"
    assert signed_in_username(client) is None


# Limiting login attempts --------------------------------------------------------------------


def fail_logins(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
        assert response.status_code == 200


def lock_out(client: Client, username: str) -> None:
    fail_logins(client, username, 4)
    fifth = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    assert fifth.status_code == 429


def test_the_fifth_wrong_password_locks_out_and_then_even_the_right_one_is_refused(
    client,
) -> None:
    make_user("ada")
    lock_out(client, "ada")

    response = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
    assert "Try again in 15 minutes." in page_text(response)
    assert signed_in_username(client) is None


def test_four_wrong_passwords_then_the_right_one_signs_in_and_resets_the_count(client) -> None:
    make_user("ada")
    fail_logins(client, "ada", 4)

    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert signed_in_username(client) == "ada"
    client.post("/accounts/logout/")
    fail_logins(client, "ada", 4)
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert signed_in_username(client) == "ada"


def test_a_lockout_holds_one_username_from_one_address_only(client) -> None:
    make_user("ada")
    make_user("bob")
    lock_out(client, "ada")

    other_user = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    same_user_elsewhere = elsewhere.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}
    )

    assert other_user.status_code == 302
    assert same_user_elsewhere.status_code == 302
    assert signed_in_username(elsewhere) == "ada"


# The header ---------------------------------------------------------------------------------


def test_header_offers_sign_in_and_sign_up_to_anonymous_readers(client) -> None:
    response = client.get("/")

    assert [
        item
        for item in elements(response, "aria-label")
        if item[0] == "nav" and item[1]["aria-label"] == "Account"
    ]
    links = [attrs["href"] for tag, attrs in elements(response, "href") if tag == "a"]
    assert "/accounts/login/" in links
    assert "/accounts/signup/" in links
    assert "/notes/" not in links
    assert "Log out" not in page_text(response)


def test_header_shows_the_name_my_notes_and_a_log_out_button(client) -> None:
    client.force_login(make_user("ada"))

    response = client.get("/")

    [(tag, name)] = elements(response, "data-account-name")
    assert (tag, name["href"]) == ("a", "/accounts/")  # the name leads to the account
    assert "ada" in page_text(response)
    links = [attrs["href"] for tag, attrs in elements(response, "href") if tag == "a"]
    assert "/notes/" in links
    [(_, form)] = [
        item for item in elements(response, "action") if item[1]["action"] == "/accounts/logout/"
    ]
    assert form["method"] == "post"
    assert "/accounts/login/" not in links


def test_sign_in_link_returns_to_the_page_it_was_pressed_on(client) -> None:
    response = client.get("/channels/none/")

    links = [attrs["href"] for tag, attrs in elements(response, "href") if tag == "a"]
    assert "/accounts/login/?next=/channels/none/" in links


def test_login_and_signup_pages_render_their_forms(client) -> None:
    login = client.get("/accounts/login/")
    signup = client.get("/accounts/signup/")

    assert form_inputs(login) == ["csrfmiddlewaretoken", "username", "password"]
    assert form_inputs(signup) == ["csrfmiddlewaretoken", "username", "password1", "password2"]

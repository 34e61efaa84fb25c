"""The account backend: Django's ModelBackend, the signed-in account read by a compiled query."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from apps.accounts.backends import AccountBackend

pytestmark = pytest.mark.django_db


def test_the_site_signs_people_in_with_this_backend_after_the_lockout_check() -> None:
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "apps.accounts.backends.AccountBackend",
    ]


def test_an_account_is_read_whole_and_an_inactive_or_missing_one_is_nobody() -> None:
    ada = User.objects.create_user("ada", email="ada@example.org", password="x" * 20)
    gone = User.objects.create_user("gone", is_active=False)
    backend = AccountBackend()

    found = backend.get_user(str(ada.pk))  # as a session holds it

    assert found == ada and found.get_deferred_fields() == set()
    assert (found.username, found.email, found.password) == ("ada", ada.email, ada.password)
    assert found.get_session_auth_hash() == ada.get_session_auth_hash()
    assert backend.get_user(str(gone.pk)) is None
    assert backend.get_user("999999") is None


def test_signing_in_with_a_password_names_this_backend_and_the_next_request_knows_them() -> None:
    User.objects.create_user("ada", password="a long passphrase 12")
    client = Client()

    signed_in = client.post(
        "/accounts/login/", {"username": "ada", "password": "a long passphrase 12"}
    )

    assert signed_in.status_code == 302
    assert client.session["_auth_user_backend"] == "apps.accounts.backends.AccountBackend"
    assert client.get("/accounts/").context["user"].username == "ada"

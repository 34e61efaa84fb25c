"""`/api/tokens…`: personal tokens, shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import json

import pytest

from apps.accounts.models import ApiToken
from tests.annotations.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_token(client, username: str, password: str = PASSWORD, name: str = "laptop"):
    body = {"username": username, "password": password, "name": name}
    return client.post("/api/tokens", json.dumps(body), content_type="application/json")


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client) -> None:
    ada = make_user("ada")

    response = make_token(client, "ada")

    assert response.status_code == 201
    assert list(response.json()) == ["token", "name"]
    key = response.json()["token"]
    assert response.json()["name"] == "laptop"
    assert len(key) == 43  # secrets.token_urlsafe(32)
    token = ApiToken.objects.get(user=ada)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_the_token_authenticates_and_its_last_use_is_kept(client) -> None:
    make_user("ada")
    key = make_token(client, "ada").json()["token"]
    assert ApiToken.objects.get().last_used is None

    response = client.get(
        "/api/annotations", {"mine": "true"}, headers={"Authorization": f"Bearer {key}"}
    )

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used is not None


def test_a_wrong_password_is_401(client) -> None:
    make_user("ada")

    response = make_token(client, "ada", password="not it")

    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Wrong username or password."},
    )
    assert not ApiToken.objects.exists()


def test_a_second_token_of_the_same_name_is_409(client) -> None:
    make_user("ada")
    make_token(client, "ada")

    response = make_token(client, "ada")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "You already have a token named 'laptop'."},
    )


def test_a_token_name_that_would_not_fit_a_url_is_422(client) -> None:
    make_user("ada")

    response = make_token(client, "ada", name="a/b")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_revoking_a_token_stops_it_at_once(client) -> None:
    make_user("ada")
    key = make_token(client, "ada", name="old script").json()["token"]
    headers = {"Authorization": f"Bearer {key}"}

    revoked = client.delete("/api/tokens/old script", headers=headers)
    after = client.get("/api/annotations", headers=headers)

    assert (revoked.status_code, revoked.content) == (204, b"")
    assert not ApiToken.objects.exists()
    assert after.status_code == 401


def test_revoking_a_token_you_do_not_have_is_404(client) -> None:
    make_user("ada")
    key = make_token(client, "ada").json()["token"]

    response = client.delete("/api/tokens/other", headers={"Authorization": f"Bearer {key}"})

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "You have no token named 'other'."},
    )


def test_revoking_needs_auth(client) -> None:
    response = client.delete("/api/tokens/laptop")

    assert response.status_code == 401


def test_repeated_wrong_passwords_lock_the_username_out_with_json(client) -> None:
    make_user("ada")
    for _ in range(5):
        make_token(client, "ada", password="guess")

    locked = make_token(client, "ada")  # even the right password, for now

    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert list(locked.json()) == ["detail"]
    assert not ApiToken.objects.exists()

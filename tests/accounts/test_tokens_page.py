"""/accounts/tokens/: a person's API tokens, listed, made and revoked from the browser."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create, user_for_key
from tests.annotations.factories import make_user
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db


def test_the_page_lists_your_tokens_with_when_they_were_made_and_used(client) -> None:
    ada = make_user()
    api_token_create(user=ada, name="laptop")
    _, used = api_token_create(user=ada, name="server")
    user_for_key(used)
    api_token_create(user=make_user(), name="someone-elses")
    client.force_login(ada)

    response = client.get("/accounts/tokens/")

    assert response.status_code == 200
    rows = [attrs["data-token-name"] for _, attrs in elements(response, "data-token-name")]
    assert rows == ["laptop", "server"]
    text = page_text(response)
    assert "laptop" in text and "Never" in text
    assert "someone-elses" not in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_making_a_token_shows_its_key_this_once(client) -> None:
    ada = make_user()
    client.force_login(ada)

    made = client.post("/accounts/tokens/", {"name": "laptop"})
    again = client.get("/accounts/tokens/")

    key = elements(made, "data-token-key")
    assert key, "the new key is on the page"
    shown = made.content.decode().split("data-token-key>")[1].split("<")[0]
    assert user_for_key(shown) == ada
    assert shown not in again.content.decode()


def test_a_bad_or_taken_name_is_explained(client) -> None:
    ada = make_user()
    api_token_create(user=ada, name="laptop")
    client.force_login(ada)

    taken = client.post("/accounts/tokens/", {"name": "laptop"})
    slashed = client.post("/accounts/tokens/", {"name": "a/b"})

    assert "You already have a token named" in page_text(taken)
    assert "letters, digits, spaces" in page_text(slashed)
    assert ApiToken.objects.count() == 1


def test_revoking_from_the_page_needs_the_csrf_token_and_is_yours_only() -> None:
    ada, grace = make_user(), make_user()
    api_token_create(user=ada, name="laptop")
    api_token_create(user=grace, name="laptop")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    page = client.get("/accounts/tokens/")
    csrf = client.cookies["csrftoken"].value

    forged = client.post("/accounts/tokens/revoke/", {"name": "laptop"})
    revoked = client.post(
        "/accounts/tokens/revoke/", {"name": "laptop", "csrfmiddlewaretoken": csrf}
    )

    assert page.status_code == 200
    assert forged.status_code == 403
    assert revoked.status_code == 302 and revoked["Location"] == "/accounts/tokens/"
    assert list(ApiToken.objects.values_list("user", flat=True)) == [grace.pk]


def test_the_page_is_for_signed_in_people(client) -> None:
    response = client.get("/accounts/tokens/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

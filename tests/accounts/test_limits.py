"""Rate limits on accounts, and the client address that they and django-axes count by.

The rates are the product's (apps/settings.py): 10 sign-ups an hour per address, 30 sign-in
attempts per 10 minutes per address, 10 tokens an hour per person and 30 per address.
"""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from apps.accounts.limits import client_address
from apps.accounts.models import ApiToken
from tests.annotations.factories import PASSWORD, make_user
from tests.pages.test_views import page_text

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def retry_after(response) -> int:
    return int(response["Retry-After"])


def try_again(response) -> str:
    """The end of a refusal's message: "Try again in 1 second.", "… in 42 seconds."."""
    seconds = retry_after(response)
    return f"Try again in {seconds} second{'' if seconds == 1 else 's'}."


# The client's address ----------------------------------------------------------------------


def address_of(remote_addr: str, forwarded_for: str | None = None) -> str:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, headers=headers))


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert address_of("203.0.113.9", "198.51.100.1") == "203.0.113.9"
    assert address_of("203.0.113.9", "garbage") == "203.0.113.9"


def test_behind_one_proxy_the_right_most_address_is_the_client(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote "198.51.100.1, 198.51.100.2"; the proxy appended what it saw.
    assert address_of(PROXY, "198.51.100.1, 198.51.100.2, 203.0.113.9") == "203.0.113.9"
    assert address_of(PROXY, "203.0.113.9") == "203.0.113.9"
    assert address_of(PROXY, "2001:db8::7") == "2001:db8::7"


def test_behind_two_proxies_the_outer_proxys_entry_is_the_client(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2

    assert address_of(PROXY, "198.51.100.1, 203.0.113.9, 10.0.0.2") == "203.0.113.9"


def test_a_request_that_skipped_the_proxy_counts_by_its_own_address(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2

    assert address_of("203.0.113.9") == "203.0.113.9"
    assert address_of("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_request_with_no_address_has_none_rather_than_a_made_up_one(settings) -> None:
    # django-axes stores it in an inet column on PostgreSQL: only an address, or NULL, fits.
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_address(request) is None


# Sign-up ------------------------------------------------------------------------------------


def sign_up(client: Client, username: str, **extra):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/signup/", data, **extra)
    client.logout()
    return response


def test_the_eleventh_sign_up_from_one_address_in_an_hour_is_refused_with_the_form(
    client, rate_clock
) -> None:
    for number in range(10):
        assert sign_up(client, f"person{number}").status_code == 302

    refused = sign_up(client, "person10")

    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 3600
    assert f"Too many accounts created for now. {try_again(refused)}" in page_text(refused)
    assert 'value="person10"' in refused.content.decode()  # the form, as it was sent
    assert not User.objects.filter(username="person10").exists()
    assert User.objects.count() == 10

    rate_clock.advance(retry_after(refused))
    assert sign_up(client, "person10").status_code == 302


def test_sign_ups_from_another_address_are_not_held_back(client, rate_clock) -> None:
    for number in range(11):
        sign_up(client, f"person{number}")

    elsewhere = sign_up(Client(REMOTE_ADDR="192.0.2.7"), "someone-else")

    assert elsewhere.status_code == 302
    assert User.objects.filter(username="someone-else").exists()


def test_a_forged_x_forwarded_for_does_not_dodge_the_limit_without_a_proxy(
    client, rate_clock
) -> None:
    for number in range(10):
        forged = {"headers": {"X-Forwarded-For": f"198.51.100.{number}"}}
        assert sign_up(client, f"person{number}", **forged).status_code == 302

    refused = sign_up(client, "person10", headers={"X-Forwarded-For": "198.51.100.99"})

    assert refused.status_code == 429


# Sign-in ------------------------------------------------------------------------------------


def test_the_thirty_first_sign_in_attempt_from_one_address_is_refused(client, rate_clock) -> None:
    make_user("ada")
    # Thirty names, so that django-axes (five per name and address) never steps in.
    for number in range(30):
        wrong = client.post("/accounts/login/", {"username": f"guess{number}", "password": "x"})
        assert wrong.status_code == 200

    refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    other_address = elsewhere.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 600
    assert f"Too many sign-in attempts for now. {try_again(refused)}" in page_text(refused)
    assert "_auth_user_id" not in client.session
    assert other_address.status_code == 302
    assert client.get("/accounts/login/").status_code == 200  # showing the form never counts


def test_a_locked_out_token_request_says_when_to_retry_in_json(client, rate_clock) -> None:
    make_user("ada")
    body = {"username": "ada", "password": "wrong", "name": "laptop"}
    for _ in range(5):
        client.post("/api/tokens", json.dumps(body), content_type="application/json")

    locked = client.post(
        "/api/tokens", json.dumps({**body, "password": PASSWORD}), content_type="application/json"
    )

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {"detail": "Too Many Requests"}


def test_token_requests_count_as_sign_in_attempts(client, rate_clock) -> None:
    make_user("ada")
    for number in range(30):
        client.post("/accounts/login/", {"username": f"guess{number}", "password": "x"})

    body = {"username": "ada", "password": PASSWORD, "name": "laptop"}
    refused = client.post("/api/tokens", json.dumps(body), content_type="application/json")

    assert refused.status_code == 429
    assert refused.json() == {"detail": f"Too many sign-in attempts for now. {try_again(refused)}"}
    assert not ApiToken.objects.exists()


def test_the_admins_sign_in_form_counts_against_the_same_rate(client, rate_clock) -> None:
    for number in range(30):
        client.post("/accounts/login/", {"username": f"guess{number}", "password": "x"})

    refused = client.post("/admin/login/", {"username": "guess", "password": "x"})

    assert refused.status_code == 429
    assert f"Too many sign-in attempts for now. {try_again(refused)}" in page_text(refused)


# Tokens on the tokens page ------------------------------------------------------------------


def make_tokens(client: Client, user: User, count: int, **extra) -> list[int]:
    client.force_login(user)
    return [
        client.post("/accounts/tokens/", {"name": f"token-{number}"}, **extra).status_code
        for number in range(count)
    ]


def test_the_eleventh_token_of_one_person_in_an_hour_is_refused(client, rate_clock) -> None:
    ada = make_user("ada")

    statuses = make_tokens(client, ada, 11)
    refused = client.post("/accounts/tokens/", {"name": "one-more"})
    bob_elsewhere = make_tokens(Client(REMOTE_ADDR="192.0.2.7"), make_user("bob"), 1)

    assert statuses == [200] * 10 + [429]
    assert refused.status_code == 429
    assert "Too many tokens made for now." in page_text(refused)
    assert ApiToken.objects.filter(user=ada).count() == 10
    assert bob_elsewhere == [200]
    assert client.get("/accounts/tokens/").status_code == 200


def test_thirty_tokens_from_one_address_in_an_hour_hold_back_everyone_there(
    client, rate_clock
) -> None:
    for _ in range(3):
        assert make_tokens(Client(), make_user(), 10) == [200] * 10

    fourth_person = make_tokens(Client(), make_user("dora"), 1)
    elsewhere = make_tokens(Client(REMOTE_ADDR="192.0.2.7"), make_user("eve"), 1)

    assert fourth_person == [429]
    assert elsewhere == [200]
    assert ApiToken.objects.count() == 31


# django-axes behind a proxy -----------------------------------------------------------------


def behind_proxy(client_address: str) -> Client:
    """A browser at `client_address`, reaching the site through one proxy at PROXY."""
    return Client(REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": client_address})


def fail_logins(client: Client, username: str, times: int) -> list[int]:
    return [
        client.post("/accounts/login/", {"username": username, "password": "wrong"}).status_code
        for _ in range(times)
    ]


def test_behind_a_proxy_a_lockout_holds_the_username_at_one_client_address_only(
    settings, rate_clock
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("ada")
    attacker, owner = behind_proxy("198.51.100.66"), behind_proxy("203.0.113.9")

    statuses = fail_logins(attacker, "ada", 5)
    attacker_right_password = attacker.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}
    )
    owner_signs_in = owner.post("/accounts/login/", {"username": "ada", "password": PASSWORD})

    assert statuses == [200] * 4 + [429]
    assert attacker_right_password.status_code == 429
    assert attacker_right_password["Retry-After"] == "900"  # the 15 minutes' cool-off
    assert "Try again in 15 minutes." in page_text(attacker_right_password)
    assert owner_signs_in.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [
        ("ada", "198.51.100.66")
    ]


def test_behind_a_proxy_a_forged_left_entry_cannot_lock_someone_elses_address(
    settings, rate_clock
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("ada")
    # The attacker sends the owner's address; the proxy appends the attacker's own.
    attacker = behind_proxy("203.0.113.9, 198.51.100.66")

    fail_logins(attacker, "ada", 5)
    owner_signs_in = behind_proxy("203.0.113.9").post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}
    )

    assert owner_signs_in.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_without_a_proxy_a_forged_x_forwarded_for_changes_nothing_for_axes(
    settings, rate_clock
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("ada")
    attacker = Client(REMOTE_ADDR="198.51.100.66")

    # A new forged address each time: the lockout still counts the connection's address.
    statuses = [
        attacker.post(
            "/accounts/login/",
            {"username": "ada", "password": "wrong"},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        ).status_code
        for number in range(5)
    ]
    owner_signs_in = Client(REMOTE_ADDR="203.0.113.1").post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}
    )

    assert statuses == [200] * 4 + [429]
    assert owner_signs_in.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_a_stranger_cannot_lock_an_account_by_its_username_alone(rate_clock) -> None:
    make_user("ada")
    for number in range(3):
        assert fail_logins(Client(REMOTE_ADDR=f"198.51.100.{number}"), "ada", 5)[-1] == 429

    owner_signs_in = Client(REMOTE_ADDR="203.0.113.9").post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD}
    )

    assert owner_signs_in.status_code == 302

"""The CSRF tokens' random letters: read at once, each letter as likely as any other, and the
tokens made of them accepted by Django's CSRF check as its own."""

from __future__ import annotations

import re
import string
from collections import Counter

import pytest
from django.middleware import csrf
from django.test import Client

from apps.accounts.random_letters import random_letters

LETTERS = string.ascii_letters + string.digits  # Django's CSRF alphabet
_TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_letters_come_from_the_alphabet_in_the_length_asked() -> None:
    drawn = [random_letters(32, LETTERS) for _ in range(200)]

    assert {len(letters) for letters in drawn} == {32}
    assert set("".join(drawn)) <= set(LETTERS)
    assert len(set(drawn)) == 200


def test_every_letter_is_as_likely_as_any_other() -> None:
    # 124,000 letters: each expected 2,000 times, with a standard deviation of 44. Taking
    # every byte modulo 62, without dropping any, would give the first 8 letters five byte
    # values each and the others four: some 2,420 times against 1,940.
    counts = Counter("".join(random_letters(1_000, LETTERS) for _ in range(124)))

    assert set(counts) == set(LETTERS)
    assert min(counts.values()) > 1_750 and max(counts.values()) < 2_250


def test_other_alphabets_and_lengths() -> None:
    assert random_letters(0, LETTERS) == ""
    assert random_letters(5, "a") == "aaaaa"
    assert set(random_letters(500, "xyz")) == set("xyz")
    wide = "".join(chr(0x100 + number) for number in range(300))  # beyond a byte's values
    assert set(random_letters(50, wide)) <= set(wide)


def test_django_csrf_draws_its_letters_with_it() -> None:
    assert csrf.get_random_string is random_letters
    secret = csrf._get_new_csrf_string()
    assert len(secret) == 32 and set(secret) <= set(LETTERS)


@pytest.mark.django_db
def test_a_form_token_made_of_them_passes_the_csrf_check_and_a_changed_one_does_not() -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    token = _TOKEN_FIELD.search(page)[1]
    assert len(token) == 64 and set(token) <= set(LETTERS)
    fields = {"username": "nobody", "password": "wrong"}

    accepted = client.post("/accounts/login/", {**fields, "csrfmiddlewaretoken": token})
    changed = "b" if token[0] == "a" else "a"
    refused = client.post(
        "/accounts/login/", {**fields, "csrfmiddlewaretoken": changed + token[1:]}
    )

    assert accepted.status_code == 200
    assert "Please enter a correct" in accepted.content.decode()
    assert refused.status_code == 403

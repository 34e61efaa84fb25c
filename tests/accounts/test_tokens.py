"""Checking a token notes its use at most once a minute: a check is a read, not a write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import ApiToken
from apps.accounts.tokens import api_token_create, user_for_key
from tests.annotations.factories import make_user

pytestmark = pytest.mark.django_db


def check_counting_writes(key: str) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as queries:
        user = user_for_key(key)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    return user, len(writes)


def test_two_checks_within_a_minute_write_last_used_once() -> None:
    ada = make_user("ada")
    token, key = api_token_create(user=ada, name="laptop")

    first = check_counting_writes(key)
    used = ApiToken.objects.get(pk=token.pk).last_used
    second = check_counting_writes(key)

    assert (first, second) == ((ada, 1), (ada, 0))
    assert used is not None
    assert ApiToken.objects.get(pk=token.pk).last_used == used


def test_a_check_a_minute_later_writes_last_used_again() -> None:
    ada = make_user("ada")
    token, key = api_token_create(user=ada, name="laptop")
    user_for_key(key)
    long_ago = ApiToken.objects.get(pk=token.pk).last_used - timedelta(minutes=1, seconds=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used=long_ago)

    assert check_counting_writes(key) == (ada, 1)
    assert ApiToken.objects.get(pk=token.pk).last_used > long_ago + timedelta(minutes=1)


def test_a_wrong_key_writes_nothing() -> None:
    ada = make_user("ada")
    api_token_create(user=ada, name="laptop")

    assert check_counting_writes("not-a-key") == (None, 0)

"""With DJANGO_CACHE_URL (Redis), every worker process counts against the same limits.

The local memory cache is per process, so N workers would each allow the full rate; Redis is
the shared cache the settings offer. A second Python process plays the second worker.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import redis
from django.test import Client

from tests.annotations.factories import PASSWORD
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("SEEKNOTES_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
KEY_PREFIX = "seeknotes"  # as apps/settings.py names it

OTHER_WORKER = """
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from apps.accounts.limits import rate_limit_refusal

print(settings.CACHES["default"]["BACKEND"])
request = RequestFactory().post("/accounts/signup/", REMOTE_ADDR="127.0.0.1")
refusal = rate_limit_refusal(request, "signup")
print(refusal.message if refusal else "allowed")
"""


@pytest.fixture
def redis_cache(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": KEY_PREFIX,
        }
    }
    yield connection
    stale = connection.keys(f"{KEY_PREFIX}:*")
    if stale:
        connection.delete(*stale)


def other_worker() -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DJANGO_CACHE_URL": REDIS_URL,
    }
    done = subprocess.run(
        [sys.executable, "-c", OTHER_WORKER],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_sign_ups_counted_by_one_process_hold_back_another(client, redis_cache) -> None:
    for number in range(10):
        data = {"username": f"person{number}", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post("/accounts/signup/", data).status_code == 302
        client.logout()

    backend, answer = other_worker()

    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert answer.startswith("Too many accounts created for now. Try again in ")


def test_with_the_shared_cache_a_fresh_address_is_still_allowed(redis_cache) -> None:
    backend, answer = other_worker()

    assert (backend, answer) == ("django.core.cache.backends.redis.RedisCache", "allowed")
    assert Client().get("/accounts/signup/").status_code == 200


def test_when_the_shared_cache_is_down_sign_ups_go_through_uncounted(
    client, settings, caplog
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    statuses = []
    for number in range(11):
        data = {"username": f"person{number}", "password1": PASSWORD, "password2": PASSWORD}
        statuses.append(client.post("/accounts/signup/", data).status_code)
        client.logout()

    assert statuses == [302] * 11
    assert (
        caplog.messages.count("Rate limit signup.address not counted: the cache did not answer.")
        == 11
    )

"""Schemathesis, a client we did not write, holds the API to its own OpenAPI schema.

Every operation of /api/openapi.json becomes a test here, run against the Django app
in-process (schemathesis' WSGI support: no server, no network) with all of schemathesis'
default checks, in its three single-request phases: the schema's examples, boundary and
invalid values ("coverage"), and 100 generated cases per operation ("fuzzing"). Writes go
with a personal token. Generation is derandomized, so CI runs are repeatable; the totals are
printed in pytest's summary (see conftest.py).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from apps.accounts.tokens import api_token_create
from apps.wsgi import application

MAX_EXAMPLES = 100
# Operations whose input is checked for more than its schema can say, and refused with 422
# naming why: whether a string is a YouTube address of a video, what an uploaded zip holds;
# whether a note's range ends after it starts and within its episode, whether the note a
# reply answers is public, whether an annotation read back has text or marks a moment.
MEANING_CHECKED = {
    "POST /api/episodes",
    "POST /api/imports",
    "POST /api/annotations",
    "PATCH /api/annotations/{annotation_id}",
    "POST /api/annotations/import",
}

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Cases run per operation, for the summary; an operation whose test fails shows as failed.
cases: Counter[str] = Counter()


@pytest.fixture
def bearer_token(db, settings) -> str:
    # The token endpoint checks passwords: a fast hasher keeps hundreds of tries quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("schemathesis", password="a long test password")
    # A name the generator will not stumble on, or it could revoke the run's own token.
    _, key = api_token_create(user=user, name="schemathesis-run-7f3a91c2")
    return key


@pytest.fixture
def no_rate_limits(settings):
    """Hundreds of generated writes from one token and address: the limits would answer most
    of them with 429 (tests/api/test_limits.py holds the API to those)."""
    settings.RATE_LIMITS = {}


@pytest.fixture
def connection_kept_open():
    """As Django's test client does: a request must not close the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(
    case, seed_episode, bearer_token, no_rate_limits, connection_kept_open
) -> None:
    cases[case.operation.label] += 1
    excluded = [positive_data_acceptance] if case.operation.label in MEANING_CHECKED else []
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer_token}"}, excluded_checks=excluded
    )

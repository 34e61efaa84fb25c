"""The session store: Django's database sessions, read with a statement compiled once."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.accounts.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_keeps_its_sessions_in_this_store() -> None:
    assert settings.SESSION_ENGINE == "apps.accounts.session_store"


def test_a_saved_session_is_read_back_whole_by_its_key() -> None:
    written = SessionStore()
    written.update({"place": "12:34", "count": 3})
    written.save()

    read = SessionStore(written.session_key)

    assert dict(read.items()) == {"place": "12:34", "count": 3}
    assert read.session_key == written.session_key


def test_an_expired_or_unknown_session_reads_as_empty_and_a_new_key_is_made() -> None:
    written = SessionStore()
    written["place"] = "1:00"
    written.save()
    Session.objects.filter(pk=written.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    expired = SessionStore(written.session_key)
    unknown = SessionStore("x" * 32)

    assert dict(expired.items()) == {} and dict(unknown.items()) == {}
    expired["place"] = "2:00"
    expired.save()
    assert expired.session_key not in {written.session_key, None}
    assert SessionStore(expired.session_key)["place"] == "2:00"

"""Mail leaves through a background task (apps/accounts/emails.py): here it runs at once."""

from __future__ import annotations

import pytest

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _mail_sent_at_once(settings) -> None:
    settings.TASKS = IMMEDIATE

"""Django's sessions in the database, each read with a statement compiled once.

Every signed-in request reads its session first. Django's database store builds that
lookup through the ORM each time, which cost ten times running it (docs/performance.md);
this store runs the same lookup compiled once (`apps.episodes.compiled`). Rows, cookies
and everything else are Django's own: `SESSION_ENGINE` may point here or back at
`django.contrib.sessions.backends.db` with no session lost.
"""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from apps.episodes.compiled import CompiledQuery

_SESSION = CompiledQuery(
    lambda session_key, now: Session.objects.filter(
        session_key=session_key, expire_date__gt=now
    ).values_list("session_key", "session_data", "expire_date"),
    session_key="stand-in-for-a-session-key",
    now=datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _SESSION.objects(session_key=self.session_key, now=timezone.now())
        if not found:  # expired or unknown: the next save starts a new session
            self._session_key = None
            return None
        return found[0]

"""Signing out everywhere: every session of an account ended at once, its tokens untouched.

Each session notes, when it signs in, the account's session generation
(`models.SessionGeneration`, 0 for an account that never signed out everywhere). Signing out
everywhere moves the number on; `end_stale_sessions`, a middleware after Django's
authentication, ends a session whose number is behind on its next request. This holds
whatever stores the sessions, where deleting rows would hold only for the database's.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from apps.accounts.models import SessionGeneration
from apps.episodes.compiled import CompiledQuery

GENERATION_KEY = "_seeknotes_session_generation"


# Read on every signed-in request: compiled once (apps.episodes.compiled).
_GENERATION = CompiledQuery(
    lambda user_id: SessionGeneration.objects.filter(user_id=user_id).values_list("number"),
    user_id=-918_273_647,
)


def current_generation(user_id: object) -> int:
    """The account's session generation (`user_id` as a session holds it: text)."""
    found = _GENERATION.rows(user_id=get_user_model()._meta.pk.to_python(user_id))
    return found[0][0] if found else 0


def note_generation(sender, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> None:
    """On sign-in (`user_logged_in`): the session belongs to the generation current now."""
    if hasattr(request, "session"):
        request.session[GENERATION_KEY] = current_generation(user.pk)


def sign_out_everywhere(*, user: AbstractBaseUser) -> int:
    """End every session of `user`, this request's too once it is logged out; the new number."""
    generation, _ = SessionGeneration.objects.get_or_create(user=user)
    SessionGeneration.objects.filter(pk=generation.pk).update(number=F("number") + 1)
    return current_generation(user.pk)


def end_stale_sessions(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Middleware: a signed-in session from before its account's last "sign out everywhere"
    is logged out before the view runs, so the request is answered as for anyone signed out."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        # Only sessions that are signed in cost a query; a reader without one costs nothing.
        user_id = session.get(SESSION_KEY) if session is not None else None
        if user_id is not None and session.get(GENERATION_KEY, 0) != current_generation(user_id):
            logout(request)
        return get_response(request)

    return middleware

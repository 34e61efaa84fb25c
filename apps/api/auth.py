"""How an API request says who sends it: a personal token, or the session cookie.

`Authorization: Bearer <token>` comes first. A request that sends a token must send a valid
one, even to read: a revoked token is refused (401) rather than quietly treated as anonymous.
Without a token, the session cookie counts, and for writes only with Django's CSRF header,
checked only once the cookie has named someone, so that no-one at all is a 401, not a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from apps.accounts.tokens import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        # Checked once per request: `refuse_bad_credentials` has usually looked already.
        user = getattr(request, "_token_user", None) or user_for_key(token)
        if user is None:
            raise AuthenticationError(401, "This token is not valid (or has been revoked).")
        request._token_user = user
        return user


class SessionCookieAuth(SessionAuth):
    """Django's session; `csrf` stays on so that /api/docs sends the CSRF header."""

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
            )
        return request.user


token_auth = TokenAuth()
session_auth = SessionCookieAuth(csrf=True)
# For operations that change something: either is enough.
WRITE_AUTH = [token_auth, session_auth]
# For reads: anyone, seeing more when they say who they are. `{}` marks it optional.
OPTIONAL_AUTH_OPENAPI = {"security": [{}, {"TokenAuth": []}, {"SessionCookieAuth": []}]}


def request_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    """Who sends a read: the token's owner, the signed-in person, or anonymous."""
    if request.headers.get("Authorization"):
        user = token_auth(request)
        if user is None:  # not "Bearer …": some other scheme we do not take
            raise AuthenticationError(401, "Send your token as Authorization: Bearer <token>.")
        return user
    return request.user


def refuse_bad_credentials(request: HttpRequest) -> JsonResponse | None:
    """A 401 for any API request whose Authorization header names nobody.

    Checked before any route (or cached answer) runs, so that no read, the documentation
    included, quietly treats a wrong or revoked token as anonymous.
    """
    if not request.headers.get("Authorization"):
        return None
    try:
        request_user(request)
    except AuthenticationError as exc:
        response = JsonResponse({"detail": exc.message}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    return None

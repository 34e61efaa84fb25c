"""The rate limits (`apps.accounts.limits`) as the API answers them: 429, JSON, Retry-After."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.errors import HttpError

from apps.accounts.limits import RateLimitRefusal, rate_limit_refusal
from apps.api.common import ErrorOut

TOO_MANY_REQUESTS = {429: ErrorOut}


class RateLimited(HttpError):
    """Answered as `{"detail": ...}` with 429 and Retry-After by `apps.api.site`."""

    def __init__(self, refusal: RateLimitRefusal) -> None:
        super().__init__(429, refusal.message)
        self.retry_after = refusal.retry_after


def enforce_rate_limit(
    request: HttpRequest, action: str, *, user: AbstractBaseUser | None = None
) -> None:
    """Count one `action`; raise `RateLimited` when the address or `user` is over its rate."""
    refusal = rate_limit_refusal(request, action, user=user)
    if refusal is not None:
        raise RateLimited(refusal)

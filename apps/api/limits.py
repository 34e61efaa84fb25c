"""The rate limits (`apps.accounts.limits`) as the API answers them: 429, JSON, Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
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
    request: HttpRequest,
    action: str,
    *,
    user: AbstractBaseUser | None = None,
    per_address: bool = True,
) -> None:
    """Count one `action`; raise `RateLimited` when the address or `user` is over its rate."""
    refusal = rate_limit_refusal(request, action, user=user, per_address=per_address)
    if refusal is not None:
        raise RateLimited(refusal)


def address_limited_before_the_body(action: str) -> Callable:
    """For ninja's `decorate_view`: count `action` for the address before the body is read.

    So a large body counts even when it turns out invalid (and never reaches the view); the
    view then counts the person alone (`per_address=False`).
    """

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refusal = rate_limit_refusal(request, action)
            if refusal is None:
                return run(request, *args, **kwargs)
            response = JsonResponse(
                {"detail": refusal.message},
                status=429,
                content_type="application/json; charset=utf-8",  # as ninja's own answers
            )
            response["Retry-After"] = str(refusal.retry_after)
            return response

        return limited

    return decorator

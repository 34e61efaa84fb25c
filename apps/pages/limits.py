"""The rate limits (`apps.accounts.limits`) on pages: a 429 that says how long to wait.

Only posts count; showing a form never does. A form that can keep what was typed shows the
refusal as its error (`refuse_in_form`); any other post gets the 429 page (`limit_posts`), or for
htmx a short message placed before the element the request would have replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import reswap

from apps.accounts.limits import RateLimitRefusal, rate_limit_refusal

TEMPLATE = "429.html"


def limit_posts(action: str) -> Callable:
    """Decorate a view: each POST counts as `action`; past a rate, the 429 page answers."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                refusal = rate_limit_refusal(request, action, user=request.user)
                if refusal is not None:
                    return too_many_requests(request, refusal)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(request: HttpRequest, refusal: RateLimitRefusal) -> HttpResponse:
    if request.htmx:
        # Beside what the post came from, which stays as it was: the note, the button.
        message = render(request, f"{TEMPLATE}#refusal", {"refusal": refusal})
        response = reswap(message, "beforebegin")
    else:
        response = render(request, TEMPLATE, {"refusal": refusal})
    return with_retry_after(response, refusal)


def refuse_in_form(
    request: HttpRequest, action: str, form: forms.Form, *, field: str | None = None
) -> RateLimitRefusal | None:
    """Count one post of `action`; past a rate, `form` carries the refusal as an error."""
    refusal = rate_limit_refusal(request, action, user=request.user)
    if refusal is not None:
        form.add_error(field, refusal.message)
    return refusal


def with_retry_after(response: HttpResponse, refusal: RateLimitRefusal | None) -> HttpResponse:
    """429 with Retry-After when there is a refusal; the response as it is otherwise."""
    if refusal is not None:
        response.status_code = 429
        response["Retry-After"] = str(refusal.retry_after)
    return response

"""Signing up and API tokens. Signing in and out are Django's own views (see urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.forms import SignupForm
from apps.accounts.tokens import api_token_create, api_token_revoke, api_tokens_of
from apps.pages.limits import limit_posts, refuse_in_form, with_retry_after
from apps.pages.plain_text import text_param
from apps.pages.redirects import safe_next_url


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account (Django's password validators apply), sign straight in, go back.

    The person lands on `next` (the page and moment they signed up from, when it is this site)
    with a welcome message.

    A username that could pass for someone else's is refused (`apps.accounts.usernames`).
    Accounts made are rate-limited per address: past it, the form says how long to wait.
    """
    next_url = safe_next_url(request)
    form = SignupForm(request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        refusal = refuse_in_form(request, "signup", form)
        if refusal is None:
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            welcome = f"Welcome to Seeknotes, {user.get_username()}. You are signed in."
            messages.success(request, welcome)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    response = render(request, "accounts/signup.html", {"form": form, "next": next_url})
    return with_retry_after(response, refusal)


@never_cache  # the page may hold a new token's key
@login_required
@limit_posts("token")
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens; a POST makes one and shows its key, this once."""
    context: dict[str, object] = {"name": ""}
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, key = api_token_create(user=request.user, name=name)
        except ValidationError as error:
            context.update(name=name, name_error=" ".join(error.message_dict["name"]))
        else:
            # Rendered, not redirected: the key must not travel in a URL or wait in a session.
            context.update(new_key=key, new_name=token.name)
    context["tokens"] = api_tokens_of(request.user)
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the signed-in person's tokens by name."""
    api_token_revoke(user=request.user, name=text_param(request.POST, "name"))
    return redirect("accounts:tokens")

"""Signing up, the account page and what it leads to, and API tokens.

Signing in and out, changing and resetting the password are Django's own views (see urls.py),
with this site's templates and rate limits.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.backends import ACCOUNT_BACKEND
from apps.accounts.emails import (
    EmailForm,
    email_change,
    email_is_verified,
    email_verify,
    send_verification_email,
    verification_token,
)
from apps.accounts.forms import AccountDeleteForm, SignupForm
from apps.accounts.sessions import sign_out_everywhere
from apps.accounts.tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_of,
    last_used_text,
)
from apps.annotations.models import Annotation
from apps.pages.account_closing import account_close
from apps.pages.account_data import account_data_zip
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
            login(request, user, backend=ACCOUNT_BACKEND)
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
    context["tokens"] = tokens = list(api_tokens_of(request.user))
    for token in tokens:
        token.last_used_text = last_used_text(token.last_used)
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the signed-in person's tokens by name."""
    api_token_revoke(user=request.user, name=text_param(request.POST, "name"))
    return redirect("accounts:tokens")


@never_cache
@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: who they are, what they keep here, what they can do."""
    user = request.user
    notes = Annotation.objects.filter(author=user)
    context = {
        "email_form": EmailForm(initial={"email": user.email}),
        "email_verified": email_is_verified(user),
        "note_count": notes.count(),
        "public_note_count": notes.filter(visibility=Annotation.Visibility.PUBLIC).count(),
        "token_count": api_tokens_of(user).count(),
    }
    return render(request, "accounts/account.html", context)


@login_required
@limit_posts("account_email")
@require_POST
def email_update(request: HttpRequest) -> HttpResponse:
    """Change (or remove) the address; a new one is sent a link that verifies it."""
    form = EmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["email"]))
        return redirect("accounts:account")
    if not email_change(user=request.user, email=form.cleaned_data["email"]):
        messages.info(request, "Your email address is unchanged.")
    elif request.user.email:
        _send_verification(request)
    else:
        messages.success(request, "Your email address is removed.")
    return redirect("accounts:account")


@login_required
@limit_posts("account_email")
@require_POST
def email_verification_resend(request: HttpRequest) -> HttpResponse:
    """Send the link that verifies the current address again."""
    if request.user.email and not email_is_verified(request.user):
        _send_verification(request)
    return redirect("accounts:account")


def _send_verification(request: HttpRequest) -> None:
    path = reverse("accounts:email_verify", args=[verification_token(request.user)])
    send_verification_email(user=request.user, verify_url=request.build_absolute_uri(path))
    messages.success(
        request,
        f"We sent a link to {request.user.email}. Follow it to verify the address: "
        "until then it is not used, not even to reset your password.",
    )


@require_GET
def email_verification(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the verification email: the address is verified, whoever follows it."""
    user = email_verify(token)
    if user is None:
        messages.error(
            request,
            "This link does not verify anything: it has expired, or the address has changed "
            "since it was sent. Ask for a new one on your account page.",
        )
    else:
        messages.success(request, f"Your email address {user.email} is verified.")
    return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")


@login_required
@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    """Sign out everywhere: every session of the account ends, this one too; tokens stay."""
    sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(
        request,
        "You are signed out everywhere, here too. Your API tokens still work: revoke them on "
        "the tokens page if you need to.",
    )
    return redirect("accounts:login")


@login_required
@require_GET
def data_download(request: HttpRequest) -> HttpResponse:
    """Download my data: one ZIP of every note and the account (see `account_data`)."""
    response = HttpResponse(account_data_zip(request), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="seeknotes-data.zip"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_deletion(request: HttpRequest) -> HttpResponse:
    """Delete my account, after saying what happens; the password confirms it.

    Password attempts are rate-limited: a borrowed session must not guess its way to it.
    """
    user = request.user
    form = AccountDeleteForm(user, request.POST if request.method == "POST" else None)
    refusal = None
    if request.method == "POST":
        refusal = refuse_in_form(request, "password_check", form, field="password")
        if refusal is None and form.is_valid():
            account_close(user=user, keep_public_notes=form.keep_public_notes)
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for your notes.")
            return redirect("episodes:episode_list")
    notes = Annotation.objects.filter(author=user)
    context = {
        "form": form,
        "note_count": notes.count(),
        "public_note_count": notes.filter(visibility=Annotation.Visibility.PUBLIC).count(),
        "token_count": api_tokens_of(user).count(),
    }
    response = render(request, "accounts/delete.html", context)
    return with_retry_after(response, refusal)


class PasswordChange(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's password change, back on the account page; this session stays signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = (
        "Your password is changed. You stay signed in here; your other sessions are signed out."
    )

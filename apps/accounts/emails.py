"""An account's email address: changed, verified by a link, and trusted for password resets.

The address is Django's `User.email`, optional. A change unverifies it (`EmailVerification`
keeps the address that was verified) and sends a link to the new address; following the link
within `settings.EMAIL_VERIFICATION_SECONDS` verifies it. The link carries a signature over
the account and the address, so it proves only that this address was read, and a link sent
to an earlier address verifies nothing once the address has changed.

Password reset mail goes only to verified addresses (`VerifiedEmailPasswordResetForm`): an
address someone typed into an account but never proved they read must not take it over.

Mail leaves in the background (`deliver_email`, a django-tasks task): the request only queues
it. So a reset asked for a known address is answered as fast as one for an unknown address,
which sends nothing: the time the mail server takes does not tell who has an account.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from apps.accounts.models import EmailVerification

SALT = "seeknotes.accounts.email-verification"


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="Optional. Used only to reset your password, once you follow the link we send.",
    )


def email_is_verified(user: AbstractBaseUser) -> bool:
    if not user.email:
        return False
    verified = EmailVerification.objects.filter(user=user).values_list("email", flat=True).first()
    return verified is not None and verified.casefold() == user.email.casefold()


def email_change(*, user: AbstractBaseUser, email: str) -> bool:
    """Set `user`'s address (empty: none); True when it changed, and so needs verifying."""
    email = get_user_model().objects.normalize_email(email.strip())
    if email == user.email:
        return False
    user.email = email
    user.save(update_fields=["email"])
    return True


def verification_token(user: AbstractBaseUser) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT, compress=True)


def send_verification_email(*, user: AbstractBaseUser, verify_url: str) -> None:
    """Mail the link that verifies `user`'s current address; `verify_url` holds the token."""
    context = {
        "user": user,
        "verify_url": verify_url,
        "hours": settings.EMAIL_VERIFICATION_SECONDS // 3600,
    }
    email_send(
        subject="Confirm your email address for Seeknotes",
        body=render_to_string("accounts/email_verification_email.txt", context),
        to=[user.email],
    )


def email_verify(token: str) -> AbstractBaseUser | None:
    """The account whose current address `token` verifies now; None for a token that is
    forged, expired, or for an address the account no longer has."""
    try:
        claim = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    user = get_user_model().objects.filter(pk=claim.get("user"), is_active=True).first()
    if user is None or not user.email or user.email != claim.get("email"):
        return None
    EmailVerification.objects.update_or_create(
        user=user, defaults={"email": user.email, "verified": timezone.now()}
    )
    return user


class VerifiedEmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending only to accounts whose address is verified, in the
    background."""

    def get_users(self, email: str):
        for user in super().get_users(email):
            if email_is_verified(user):
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_send(subject=subject, body=body, to=[to_email])


def email_send(*, subject: str, body: str, to: list[str]) -> None:
    """Queue a plain-text email from DEFAULT_FROM_EMAIL: the request does not wait for it."""
    deliver_email.enqueue(subject, body, to)


@task()
def deliver_email(subject: str, body: str, to: list[str]) -> int:
    """Send one email through the configured backend (EMAIL_URL's server, or the console)."""
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to)

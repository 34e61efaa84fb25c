"""Personal API tokens: made, checked and revoked here, for the API and the tokens page alike.

A token is `secrets.token_urlsafe(32)`, shown once when made; only its SHA-256 is stored, so
a leaked database does not leak working tokens. SHA-256 (not a slow password hash) is enough
because the key is 256 random bits, not something a person chose.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.timesince import timesince

from apps.accounts.models import ApiToken

# Letters, digits, spaces and . _ - (so a name fits in a URL), not starting or ending in space.
NAME_PATTERN = r"^[A-Za-z0-9._-]([A-Za-z0-9 ._-]{0,98}[A-Za-z0-9._-])?$"
NAME_RULE = "Up to 100 letters, digits, spaces, dots, dashes or underscores."
# Recording every use would make every API call a write; once a minute tells people enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token named `name` for `user`, and its key: the only time the key is known."""
    if not re.fullmatch(NAME_PATTERN, name):
        raise ValidationError({"name": ValidationError(NAME_RULE, code="invalid")})
    key = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(key))
    except IntegrityError:
        raise ValidationError(
            {"name": ValidationError(f"You already have a token named {name!r}.", code="unique")}
        ) from None
    return token, key


def api_token_revoke(*, user: AbstractBaseUser, name: str) -> bool:
    """Delete `user`'s token named `name`; False when there is none."""
    deleted, _ = ApiToken.objects.filter(user=user, name=name).delete()
    return deleted > 0


def api_tokens_of(user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("name")


def user_for_key(key: str) -> AbstractBaseUser | None:
    """The active user whose token `key` is, noting that it was used; None for any other key."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    stale_before = now - LAST_USED_PRECISION
    # Decided on the row just read, so a fresh token's check sends no UPDATE at all: on SQLite
    # even an UPDATE that changes no row takes the write lock, and waits behind any writer.
    # The UPDATE's own condition keeps two checks at once from both writing.
    if token.last_used is None or token.last_used < stale_before:
        stale = Q(last_used__isnull=True) | Q(last_used__lt=stale_before)
        ApiToken.objects.filter(Q(pk=token.pk) & stale).update(last_used=now)
    return token.user


def last_used_text(when: datetime | None, now: datetime | None = None) -> str:
    """When a token was last used, as people say it: "3 minutes ago", "never".

    Coarse on purpose: a use is noted at most once a minute (`LAST_USED_PRECISION`), so
    anything closer than that is "within the last minute", and one unit says enough.
    """
    if when is None:
        return "never"
    now = now or timezone.now()
    if now - when < LAST_USED_PRECISION:
        return "within the last minute"
    return f"{timesince(when, now, depth=1)} ago"

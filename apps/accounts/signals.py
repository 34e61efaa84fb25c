"""Keeps each account's username shape in step with its username."""

from __future__ import annotations

from apps.accounts.models import UsernameShape
from apps.accounts.usernames import skeleton


def keep_username_shape(sender, instance, created, update_fields=None, **kwargs) -> None:
    # Signing in saves last_login alone: no new name, nothing to write.
    if update_fields is not None and sender.USERNAME_FIELD not in update_fields:
        return
    UsernameShape.objects.update_or_create(
        user=instance, defaults={"shape": skeleton(instance.get_username())}
    )

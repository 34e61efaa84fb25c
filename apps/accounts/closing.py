"""Closing an account: its notes deleted or handed to "a former member", then the account.

A person leaving chooses what happens to their public notes: deleted with everything else,
or kept for readers under the name "a former member", one inactive account that stands for
every member who left so. Its username has spaces, which Django's username validator refuses,
so nobody can sign up as it, and it has no usable password, so nobody can sign in as it.
Private notes, tokens, the verified address and the account itself are deleted either way.

The search index is not this layer's (it sits above): the pages close an account through
`apps.pages.account_closing`, which re-points the index's documents of the notes kept.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from apps.annotations.models import Annotation

FORMER_MEMBER = "a former member"


def former_member() -> AbstractBaseUser:
    """The one account that kept notes of people who left are shown under."""
    user, created = get_user_model().objects.get_or_create(
        username=FORMER_MEMBER, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def public_notes_hand_over(*, user: AbstractBaseUser, to: AbstractBaseUser) -> int:
    """Give `user`'s public notes to `to`, unchanged otherwise; how many there were."""
    return Annotation.objects.filter(author=user, visibility=Annotation.Visibility.PUBLIC).update(
        author=to
    )


def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account and all that is still its own: notes, tokens, address, sessions' hold.

    Notes are deleted through the ORM, so that each one's receivers run (the search index
    drops its document); the account's sessions then name an account that no longer exists,
    which Django's authentication reads as nobody.
    """
    with transaction.atomic():
        Annotation.objects.filter(author=user).delete()
        user.delete()

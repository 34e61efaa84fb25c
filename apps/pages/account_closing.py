"""Closing an account from the pages: the accounts layer's steps, and the search index's.

`apps.accounts.closing` hands public notes over and deletes the rest with the account; the
index's documents of the notes handed over still name the leaving account as their author,
and would go with it (their author is a cascading key), so they are given the new author in
the same transaction, before the account is deleted.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from apps.accounts.closing import account_delete, former_member, public_notes_hand_over
from apps.search.models import SearchDocument


def account_close(*, user: AbstractBaseUser, keep_public_notes: bool) -> int:
    """Delete `user`'s account; with `keep_public_notes`, their public notes stay under
    "a former member". How many notes were kept."""
    with transaction.atomic():
        kept = 0
        if keep_public_notes:
            former = former_member()
            SearchDocument.objects.filter(
                kind=SearchDocument.Kind.ANNOTATION, author_id=user.pk, public=True
            ).update(author_id=former.pk)
            kept = public_notes_hand_over(user=user, to=former)
        account_delete(user=user)
    return kept

"""Closing an account: its notes deleted or handed to "a former member", then the account.

A person leaving chooses what happens to their public notes: deleted with everything else,
or kept for readers under the name "a former member", one inactive account that stands for
every member who left so. Its username has spaces, which Django's username validator refuses,
so nobody can sign up as it, and it has no usable password, so nobody can sign in as it.
Private notes, tokens, the verified address and the account itself are deleted either way,
and so are the words it wrote as the reasons of timestamp corrections.

The search index is not this layer's (it sits above): the pages close an account through
`apps.pages.account_closing`, which re-points the index's documents of the notes kept.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from apps.annotations.models import Annotation, RenderedBody
from apps.episodes.models import ContentVersion, TimestampCorrection

FORMER_MEMBER = "a former member"


def former_member() -> AbstractBaseUser:
    """The one account that kept notes of people who left are shown under."""
    # Made with its unusable password in one insert; get_or_create settles two made at once.
    user, _ = get_user_model().objects.get_or_create(
        username=FORMER_MEMBER, defaults={"is_active": False, "password": make_password(None)}
    )
    return user


def public_notes_hand_over(*, user: AbstractBaseUser, to: AbstractBaseUser) -> int:
    """Give `user`'s public notes to `to`, unchanged otherwise; how many there were."""
    return Annotation.objects.filter(author=user, visibility=Annotation.Visibility.PUBLIC).update(
        author=to
    )


def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete the account and all that is still its own: notes, tokens, address, sessions' hold.

    Replies others wrote stay readable: a note of theirs with such replies becomes the thread's
    "deleted note" placeholder, as when its author deletes it (`annotation_delete`), emptied
    and held by "a former member" so that it outlives the account. Notes are deleted through
    the ORM, so that each one's receivers run (the search index drops its document). The
    account's sessions then name an account that no longer exists: Django reads them as nobody.
    """
    with transaction.atomic():
        notes = Annotation.objects.filter(author=user)
        replied_to = set(notes.filter(parent__isnull=False).values_list("parent_id", flat=True))
        others_replies = Annotation.objects.filter(parent=OuterRef("pk")).exclude(author=user)
        threads = list(notes.filter(Exists(others_replies)))
        if threads:
            former = former_member()
            for note in threads:
                _keep_as_placeholder(note, former)
        notes.delete()
        _forget_corrections(user)
        # Placeholders whose last replies were this account's go with them, as on deletion.
        Annotation.objects.filter(pk__in=replied_to, deleted=True, replies__isnull=True).delete()
        # django-axes' records of signing in name the account and where it signed in from.
        username = user.get_username()
        for record in (AccessAttempt, AccessFailureLog, AccessLog):
            record.objects.filter(username=username).delete()
        user.delete()


def _keep_as_placeholder(note: Annotation, former: AbstractBaseUser) -> None:
    note.tags.all().delete()
    note.set_body(RenderedBody("", ""))
    note.deleted = True
    note.author = former
    # save(), not update(): the search index hears of it and drops the note's document.
    note.save(update_fields=["body", "deleted", "author", "updated"])


def _forget_corrections(user: AbstractBaseUser) -> None:
    """The reasons `user` gave for new times, which may name them, go with the account.

    A proposal still pending is dropped: nobody stands behind it any more. One applied or
    reverted stays in the timestamp's history (its times are what the timestamp shows), its
    reason emptied; the account's deletion then leaves it proposed by nobody. Episode pages,
    kept under the content's version, show that history with its names: the version moves.
    """
    theirs = TimestampCorrection.objects.filter(proposed_by=user)
    theirs.filter(status=TimestampCorrection.Status.PROPOSED).delete()
    theirs.exclude(reason="").update(reason="")
    named = Q(proposed_by=user) | Q(applied_by=user) | Q(reverted_by=user)
    if TimestampCorrection.objects.filter(named).exists():
        ContentVersion.bump()

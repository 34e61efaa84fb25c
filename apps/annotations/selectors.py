"""Reads that join content to the notes a reader may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Subquery

from apps.annotations.models import Annotation
from apps.episodes.models import EpisodeQuerySet, subquery_count


def with_note_counts(
    episodes: EpisodeQuerySet, user: AbstractBaseUser | AnonymousUser
) -> EpisodeQuerySet:
    """`episodes`, each with `note_count`: the notes on it that `user` may see."""
    visible = Annotation.objects.visible_to(user).filter(episode=OuterRef("pk"))
    return episodes.annotate(note_count=subquery_count(visible, "episode"))


def recently_annotated(
    episodes: EpisodeQuerySet, user: AbstractBaseUser | AnonymousUser
) -> EpisodeQuerySet:
    """Episodes by their newest note that `user` may see (`last_noted`); others' private
    notes neither list an episode nor move it."""
    visible = Annotation.objects.visible_to(user).filter(episode=OuterRef("pk"))
    return (
        episodes.annotate(
            last_noted=Subquery(visible.order_by("-created", "-id").values("created")[:1])
        )
        .filter(last_noted__isnull=False)
        .order_by("-last_noted", "-id")
    )

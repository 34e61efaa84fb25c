"""Small `make_*` helpers for people and their notes."""

from __future__ import annotations

from itertools import count

from django.contrib.auth.models import User

from apps.annotations.models import Annotation
from apps.episodes.models import Claim, Episode

PASSWORD = "a long enough passphrase 42"
_sequence = count(1)


def make_user(username: str = "") -> User:
    return User.objects.create_user(username or f"person{next(_sequence)}", password=PASSWORD)


def make_annotation(
    author: User,
    *,
    claim: Claim | None = None,
    episode: Episode | None = None,
    seconds: int | None = None,
    body: str = "A note",
    visibility: str = Annotation.Visibility.PRIVATE,
    quote: str | None = None,
) -> Annotation:
    """A row as the services write it, without their rules (for arranging any state)."""
    if episode is None:
        episode = claim.article.episode
    return Annotation.objects.create(
        author=author,
        episode=episode,
        claim=claim,
        seconds=seconds,
        body=body,
        visibility=visibility,
        quote=quote if quote is not None else (claim.text if claim else ""),
    )

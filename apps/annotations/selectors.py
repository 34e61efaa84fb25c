"""Reads that join content to the notes a reader may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Subquery

from apps.annotations.models import Annotation, AnnotationQuerySet, tag_names_of
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


@dataclass(frozen=True, slots=True)
class NoteRow:
    """What a page needs of a note to find its kept HTML: neither its words nor its author's row.

    The episode page reads these for every note a reader may see, and the notes themselves
    (`Annotation`) only for those whose HTML is not kept yet.
    """

    pk: int
    author_id: int
    author_name: str
    claim_id: int | None
    seconds: int | None
    end_seconds: int | None
    visibility: str
    created: datetime
    updated: datetime
    reply_count: int
    parent_open: bool
    tag_names: tuple[str, ...] = ()

    FIELDS = (
        "pk",
        "author_id",
        "author__username",
        "claim_id",
        "seconds",
        "end_seconds",
        "visibility",
        "created",
        "updated",
        "reply_count",
        "parent_open",
    )


def note_rows(notes: AnnotationQuerySet) -> list[NoteRow]:
    """The rows of `notes` (a `with_threads()` queryset), in its order: two queries."""
    rows = list(notes.values_list(*NoteRow.FIELDS))
    tags = tag_names_of([row[0] for row in rows])
    return [NoteRow(*row, tag_names=tuple(tags[row[0]])) for row in rows]


@dataclass(frozen=True, slots=True)
class ShownNotes:
    """The notes a page lists under their claims, and how many each claim has in all."""

    notes: list[Annotation] | list[NoteRow]
    count_by_claim: dict[int, int]


def shown_under_claims(
    notes: Iterable[Annotation], *, reader_id: int | None, per_claim: int
) -> ShownNotes:
    """At most `per_claim` of each claim's `notes` (which the reader may all see), in their order.

    The reader's own come first, newest first, so a note just written is always shown and
    nobody's flood of notes hides the reader's; then others', in the order given. Notes on no
    claim are all kept.
    """
    notes = list(notes)
    by_claim: dict[int, list[Annotation]] = defaultdict(list)
    for note in notes:
        if note.claim_id is not None:
            by_claim[note.claim_id].append(note)
    chosen: set[int] = set()
    for claim_notes in by_claim.values():
        mine = sorted(
            (note for note in claim_notes if note.author_id == reader_id),
            key=lambda note: (note.created, note.pk),
            reverse=True,
        )
        others = [note for note in claim_notes if note.author_id != reader_id]
        chosen.update(note.pk for note in [*mine, *others][:per_claim])
    return ShownNotes(
        notes=[note for note in notes if note.claim_id is None or note.pk in chosen],
        count_by_claim={claim_id: len(claim_notes) for claim_id, claim_notes in by_claim.items()},
    )

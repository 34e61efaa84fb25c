"""Reads that join content to the notes a reader may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Max, OuterRef, Subquery, TextField
from django.db.models.functions import Cast

from apps.annotations.models import Annotation, Tag
from apps.episodes.compiled import CompiledQuery
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


class NoteRow(NamedTuple):
    """What a page needs of a note to find its kept HTML: neither its words nor its author's row.

    The episode page reads these for every note a reader may see, and the notes themselves
    (`Annotation`) only for those whose HTML is not kept yet. A named tuple: a page makes one
    per note, and a tuple is the cheapest thing to make and to digest.
    """

    pk: int
    author_id: int
    author_name: str
    claim_id: int | None
    seconds: int | None
    end_seconds: int | None
    visibility: str
    # The times as the database writes them out, text: they sort as the times do, and a page
    # turns hundreds of rows into a digest, where datetimes cost more than all the rest.
    created: str
    updated: str
    reply_count: int
    parent_open: bool
    tag_names: tuple[str, ...] = ()


# `NoteRow`'s times, as text.
ROW_TIMES = {
    "created_text": Cast("created", output_field=TextField()),
    "updated_text": Cast("updated", output_field=TextField()),
}
# The columns of `NoteRow` but its tags, as the ORM names them.
NOTE_ROW_COLUMNS = (
    "id",
    "author_id",
    "author__username",
    "claim_id",
    "seconds",
    "end_seconds",
    "visibility",
    "created_text",
    "updated_text",
    "reply_count",
    "parent_open",
)


# Stand-ins for the episode, the reader, a claim and a note in the statements compiled once
# (below): no row has a negative id.
_EPISODE, _READER, _CLAIM, _NOTE = -918_273_645, -918_273_646, -918_273_647, -918_273_648


def _reader(reader_id: int | None):
    return AnonymousUser() if reader_id is None else get_user_model()(pk=reader_id)


def _note_rows(episode_id: int, reader_id: int | None = None, **lookups):
    """The rows, in no order: `_in_page_order` sorts them as `in_page_order` would. SQLite
    sorted a busy episode's rows, every column carried through its sorter, in 40% of the
    statement's time; Python sorts them by four columns in a fraction of that."""
    reader = _reader(reader_id)
    return (
        Annotation.objects.visible_to(reader)
        .filter(episode_id=episode_id, **lookups)
        .with_threads(reader)
        .order_by()
        .annotate(**ROW_TIMES)
        .values_list(*NOTE_ROW_COLUMNS)
    )


# Building these through the ORM (the visibility rule, the thread's subqueries) cost more than
# running them, on every request of the episode page: they are compiled once (compiled.py).
_NOTE_ROWS = {
    False: CompiledQuery(_note_rows, episode_id=_EPISODE),
    True: CompiledQuery(_note_rows, episode_id=_EPISODE, reader_id=_READER),
}


def _note_tags(**lookups):
    return Tag.objects.filter(**lookups).order_by("id").values_list("annotation_id", "name")


_NOTE_TAGS = CompiledQuery(
    lambda episode_id: _note_tags(annotation__episode_id=episode_id), episode_id=_EPISODE
)
# The same, for the notes on one claim (the answer to a note written there).
_CLAIM_NOTE_ROWS = CompiledQuery(
    lambda episode_id, reader_id, claim_id: _note_rows(episode_id, reader_id, claim_id=claim_id),
    episode_id=_EPISODE,
    reader_id=_READER,
    claim_id=_CLAIM,
)
_CLAIM_NOTE_TAGS = CompiledQuery(
    lambda claim_id: _note_tags(annotation__claim_id=claim_id), claim_id=_CLAIM
)
_TIMED_NOTES_BESIDES = CompiledQuery(
    lambda episode_id, reader_id, note_id: (
        Annotation.objects.visible_to(_reader(reader_id))
        .filter(episode_id=episode_id, seconds__isnull=False)
        .exclude(pk=note_id)
        .order_by()
        .values("episode_id")  # one group: no row at all when there is no such note
        .annotate(count=Count("pk"), last_second=Max("seconds"))
        .values_list("count", "last_second")
    ),
    episode_id=_EPISODE,
    reader_id=_READER,
    note_id=_NOTE,
)


def episode_note_rows(episode_id: int, user: AbstractBaseUser | AnonymousUser) -> list[NoteRow]:
    """The rows of the notes on an episode that `user` may see (`visible_to`, `with_threads`),
    in page order: two queries (one without notes), compiled once."""
    if user.is_authenticated:
        rows = _NOTE_ROWS[True].rows(episode_id=episode_id, reader_id=user.pk)
    else:
        rows = _NOTE_ROWS[False].rows(episode_id=episode_id)
    if not rows:
        return []
    return _with_tags(rows, _NOTE_TAGS.rows(episode_id=episode_id))


def claim_note_rows(episode_id: int, claim_id: int, user: AbstractBaseUser) -> list[NoteRow]:
    """`episode_note_rows` of the signed-in `user` on one claim of the episode (the same rows,
    in the same order, as those of the episode on that claim): two queries, compiled once."""
    rows = _CLAIM_NOTE_ROWS.rows(episode_id=episode_id, reader_id=user.pk, claim_id=claim_id)
    if not rows:
        return []
    return _with_tags(rows, _CLAIM_NOTE_TAGS.rows(claim_id=claim_id))


_make_row = tuple.__new__
_ID, _SECONDS, _CREATED = map(NOTE_ROW_COLUMNS.index, ("id", "seconds", "created_text"))


def _with_tags(rows: list[tuple], tags: list[tuple[int, str]]) -> list[NoteRow]:
    """The rows as `NoteRow`s in page order, each with the names of its tags among `tags`
    (id, name: those of notes not among the rows, which the reader may not see, are left out)."""
    names: dict[int, list[str]] = {}
    for annotation_id, name in tags:
        names.setdefault(annotation_id, []).append(name)
    get = names.get
    # Made as tuples are: `NoteRow(...)` passes through a Python function per row.
    return [_make_row(NoteRow, (*row, tuple(get(row[_ID], ())))) for row in _in_page_order(rows)]


def _in_page_order(rows: list[tuple]) -> list[tuple]:
    """`rows` as `Annotation.objects.in_page_order()` sorts notes: by moment (none first), then
    as written, then by id. The time's text sorts as the time does (`NoteRow.created`)."""
    return sorted(
        rows,
        key=lambda row: (row[_SECONDS] is not None, row[_SECONDS] or 0, row[_CREATED], row[_ID]),
    )


class TimedNotes(NamedTuple):
    """How many of the notes on an episode a reader may see have a moment, and the latest."""

    count: int
    last_second: int | None


def timed_notes_besides(episode_id: int, user: AbstractBaseUser, note_id: int) -> TimedNotes:
    """`TimedNotes` of the signed-in `user` on the episode but the note `note_id`: what their
    timeline showed of the notes before that one was written. One query, compiled once."""
    found = _TIMED_NOTES_BESIDES.rows(episode_id=episode_id, reader_id=user.pk, note_id=note_id)
    return TimedNotes(*found[0]) if found else TimedNotes(0, None)


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
        if len(claim_notes) <= per_claim:  # all of them, in whatever order
            chosen.update(note.pk for note in claim_notes)
            continue
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

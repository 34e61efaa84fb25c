"""Reads that join content to the notes a reader may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connections, router
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast

from apps.annotations.models import Annotation, Tag
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


# Stand-ins for the episode and the reader in the statements compiled once (below): no row
# has a negative id.
_EPISODE, _READER = -918_273_645, -918_273_646


@dataclass(frozen=True, slots=True)
class _Statement:
    """A query the ORM compiled once, run again with other values for the stand-ins."""

    sql: str
    params: tuple
    order: tuple[int, ...]  # where each wanted column is in the statement's rows
    converters: tuple[tuple[int, Callable, object], ...]  # the compiler's own, in order:
    # each a column's index, the converter, and the column's expression

    @classmethod
    def of(cls, queryset, wanted: tuple[str, ...], connection) -> _Statement:
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        found = compiler.get_converters([column for column, _, _ in compiler.select])
        converters = tuple(
            (index, converter, expression)
            for index, (column_converters, expression) in found.items()
            for converter in column_converters
        )
        # The columns as the statement selects them, by the names the queryset gave them.
        names = [alias for _, _, alias in compiler.select]
        return cls(sql, tuple(params), tuple(names.index(name) for name in wanted), converters)

    def rows(self, connection, values: dict) -> list[tuple]:
        params = [values.get(param, param) for param in self.params]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        if not found:
            return []
        # Column by column: a converter is a loop over its column, not a call per cell.
        columns = list(zip(*found, strict=True))
        for index, convert, expression in self.converters:
            columns[index] = [convert(value, expression, connection) for value in columns[index]]
        return list(zip(*[columns[index] for index in self.order], strict=True))


_statements: dict[tuple, tuple[_Statement, _Statement]] = {}


def _episode_statements(connection, signed_in: bool) -> tuple[_Statement, _Statement]:
    """The statements of `episode_note_rows`, compiled the first time they are asked for.

    Building the query through the ORM (the visibility rule, the thread's subqueries) cost
    more than running it, on every request of the episode page.
    """
    key = (connection.alias, connection.vendor, signed_in)
    if key not in _statements:
        reader = get_user_model()(pk=_READER) if signed_in else AnonymousUser()
        notes = (
            Annotation.objects.visible_to(reader)
            .filter(episode_id=_EPISODE)
            .with_threads(reader)
            .in_page_order()
            .annotate(**ROW_TIMES)
            .values_list(*NOTE_ROW_COLUMNS)
        )
        tags = Tag.objects.filter(annotation__episode_id=_EPISODE).order_by("id")
        _statements[key] = (
            _Statement.of(notes, NOTE_ROW_COLUMNS, connection),
            _Statement.of(
                tags.values_list("annotation_id", "name"), ("annotation_id", "name"), connection
            ),
        )
    return _statements[key]


def episode_note_rows(episode_id: int, user: AbstractBaseUser | AnonymousUser) -> list[NoteRow]:
    """The rows of the notes on an episode that `user` may see (`visible_to`, `with_threads`),
    in page order: two queries (one without notes), compiled once."""
    connection = connections[router.db_for_read(Annotation)]
    signed_in = user.is_authenticated
    notes, tags = _episode_statements(connection, signed_in)
    values = {_EPISODE: episode_id, _READER: user.pk if signed_in else None}
    rows = notes.rows(connection, values)
    if not rows:
        return []
    names: dict[int, list[str]] = {row[0]: [] for row in rows}
    for annotation_id, name in tags.rows(connection, values):
        if annotation_id in names:  # the tags of notes the reader may not see stay out
            names[annotation_id].append(name)
    return [NoteRow(*row, tuple(names[row[0]])) for row in rows]


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

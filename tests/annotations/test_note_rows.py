"""The episode page's rows of notes: what the ORM's own query gives, for every reader."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.dateparse import parse_datetime

from apps.annotations.models import Annotation
from apps.annotations.selectors import (
    ROW_TIMES,
    NoteRow,
    TimedNotes,
    claim_note_rows,
    episode_note_rows,
    timed_notes_besides,
)
from apps.annotations.services import annotation_create, annotation_delete
from tests.annotations.factories import make_user
from tests.episodes.factories import make_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(talk) -> dict[str, object]:
    """Public and private notes by two people, tags, a thread with a deleted note, a private
    reply, and notes on another episode."""
    ada, bo = make_user("ada"), make_user("bo")
    episode = talk.episode
    kept = annotation_create(
        author=ada, episode=episode, claim=talk.opening, body="Public #one", visibility="public"
    )
    annotation_create(
        author=ada, episode=episode, claim=talk.middle, body="Private", tags=["b-tag", "a-tag"]
    )
    gone = annotation_create(
        author=bo, episode=episode, claim=talk.opening, body="To go", visibility="public"
    )
    annotation_create(author=ada, episode=episode, body="Reply", visibility="public", parent=gone)
    annotation_create(author=bo, episode=episode, body="Private reply", parent=kept)
    annotation_delete(annotation=gone, actor=bo)  # kept as the placeholder of its reply
    annotation_create(author=bo, episode=episode, seconds=5, body="At a moment", tags=["x"])
    elsewhere = make_episode(video_id="elsewhere01")
    annotation_create(author=ada, episode=elsewhere, seconds=3, body="Elsewhere", tags=["y"])
    return {"anonymous": AnonymousUser(), "ada": ada, "bo": bo}


def rows_by_the_orm(episode, user) -> list[NoteRow]:
    notes = (
        Annotation.objects.visible_to(user)
        .filter(episode=episode)
        .select_related("author")
        .with_threads(user)
        .in_page_order()
        .annotate(**ROW_TIMES)
    )
    return [
        NoteRow(
            note.pk,
            note.author_id,
            note.author.username,
            note.claim_id,
            note.seconds,
            note.end_seconds,
            note.visibility,
            note.created_text,
            note.updated_text,
            note.reply_count,
            note.parent_open,
            tuple(note.tag_names),
        )
        for note in notes
    ]


@pytest.mark.parametrize("reader", ["anonymous", "ada", "bo", "anonymous"])
def test_the_rows_are_what_the_orm_reads_for_each_reader(talk, people, reader) -> None:
    # Each reader after the others: the statement compiled for one holds nothing of theirs.
    for someone in people.values():
        episode_note_rows(talk.episode.pk, someone)
    user = people[reader]

    rows = episode_note_rows(talk.episode.pk, user)

    assert rows == rows_by_the_orm(talk.episode, user)
    bodies = dict(Annotation.objects.values_list("pk", "body"))
    shown = {bodies[row.pk] for row in rows}
    assert "Elsewhere" not in shown and "" not in shown  # nor the deleted note's placeholder
    assert ("Private" in shown) == (reader == "ada")
    assert ("At a moment" in shown) == (reader == "bo")
    tags = {bodies[row.pk]: row.tag_names for row in rows}
    if reader == "ada":
        assert tags["Private"] == ("b-tag", "a-tag")  # in the order given
    assert tags["Public #one"] == ("one",)
    public = next(row for row in rows if bodies[row.pk] == "Public #one")
    assert public.reply_count == (1 if reader == "bo" else 0)  # bo's private reply
    reply = next(row for row in rows if bodies[row.pk] == "Reply")
    assert reply.parent_open is True  # under a deleted note's placeholder


def test_the_rows_times_are_the_notes_times_and_sort_as_they_do(talk, people) -> None:
    times = {note.pk: (note.created, note.updated) for note in Annotation.objects.all()}
    # Times with and without a fraction of a second, whose text is longer or shorter.
    whole = datetime(2026, 12, 7, 6, 9, 0, tzinfo=UTC)
    Annotation.objects.filter(pk=min(times)).update(created=whole, updated=whole)
    times[min(times)] = (whole, whole)

    rows = episode_note_rows(talk.episode.pk, people["ada"])

    def instant(text: str) -> datetime:
        moment = parse_datetime(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    assert [(instant(row.created), instant(row.updated)) for row in rows] == [
        times[row.pk] for row in rows
    ]
    assert sorted(rows, key=lambda row: row.created) == sorted(
        rows, key=lambda row: times[row.pk][0]
    )


def test_the_rows_take_two_queries_and_one_without_notes(talk, people) -> None:
    quiet = make_episode(video_id="quiet000001")
    with CaptureQueriesContext(connection) as queries:
        episode_note_rows(talk.episode.pk, people["ada"])
        empty = episode_note_rows(quiet.pk, people["ada"])

    assert empty == []
    assert len(queries) == 3


@pytest.mark.parametrize("reader", ["ada", "bo"])
def test_a_claims_rows_are_the_episodes_rows_on_that_claim(talk, people, reader) -> None:
    user = people[reader]
    for claim in (talk.opening, talk.middle, talk.untimed):
        claim_note_rows(talk.episode.pk, claim.pk, people["bo" if reader == "ada" else "ada"])

        rows = claim_note_rows(talk.episode.pk, claim.pk, user)

        everything = episode_note_rows(talk.episode.pk, user)
        assert rows == [row for row in everything if row.claim_id == claim.pk]
    opening = claim_note_rows(talk.episode.pk, talk.opening.pk, user)
    bodies = dict(Annotation.objects.values_list("pk", "body"))
    # A reply sits on its note's claim.
    replies = ["Reply", "Private reply"] if reader == "bo" else ["Reply"]
    assert [bodies[row.pk] for row in opening] == ["Public #one", *replies]
    assert opening[0].tag_names == ("one",)
    assert opening[0].reply_count == (1 if reader == "bo" else 0)
    middle = [bodies[row.pk] for row in claim_note_rows(talk.episode.pk, talk.middle.pk, user)]
    assert middle == (["Private"] if reader == "ada" else [])


def test_timed_notes_besides_one_count_what_the_reader_sees_with_a_moment(talk, people) -> None:
    ada, bo = people["ada"], people["bo"]
    latest = annotation_create(
        author=ada, episode=talk.episode, seconds=400, body="Late", visibility="public"
    )
    visible = {
        user.username: Annotation.objects.visible_to(user).filter(
            episode=talk.episode, seconds__isnull=False
        )
        for user in (ada, bo)
    }

    for user in (ada, bo):
        seen = visible[user.username]
        expected = TimedNotes(
            seen.exclude(pk=latest.pk).count(),
            max(seen.exclude(pk=latest.pk).values_list("seconds", flat=True)),
        )
        assert timed_notes_besides(talk.episode.pk, user, latest.pk) == expected
        assert timed_notes_besides(talk.episode.pk, user, -1).last_second == 400

    # bo's private reply and note at 5 s: ada's count leaves them out, bo's has them.
    assert timed_notes_besides(talk.episode.pk, bo, latest.pk).count == 4
    assert timed_notes_besides(talk.episode.pk, ada, latest.pk).count == 3
    quiet = make_episode(video_id="quiet000002")
    assert timed_notes_besides(quiet.pk, ada, latest.pk) == TimedNotes(0, None)


def test_the_rows_are_in_page_order_through_ties_and_times_of_every_length(talk, people) -> None:
    """By moment (none first), then as written, then by id: as `in_page_order` sorts, with
    equal moments, equal times, and times on a whole second beside fractions of it."""
    ada = people["ada"]
    second = datetime(2026, 12, 7, 6, 9, 0, tzinfo=UTC)
    moments = [None, 5, 5, 5, None, 5, 0, 5]
    created = [
        second.replace(microsecond=500_000),
        second.replace(microsecond=500_000),
        second,  # whole: its text is shorter, and it sorts first
        second.replace(microsecond=500_000),
        second,
        second.replace(second=1),
        second.replace(second=59),
        second.replace(microsecond=5),
    ]
    for number, (seconds, moment) in enumerate(zip(moments, created, strict=True)):
        note = annotation_create(
            author=ada,
            episode=talk.episode,
            claim=talk.untimed,
            seconds=seconds,
            body=f"Tie {number}",
            visibility="public",
        )
        Annotation.objects.filter(pk=note.pk).update(created=moment)

    for user in people.values():
        rows = episode_note_rows(talk.episode.pk, user)
        expected = list(
            Annotation.objects.visible_to(user)
            .filter(episode=talk.episode)
            .in_page_order()
            .values_list("pk", flat=True)
        )
        assert [row.pk for row in rows] == expected
    on_claim = claim_note_rows(talk.episode.pk, talk.untimed.pk, ada)
    assert [row.pk for row in on_claim] == [
        row.pk for row in episode_note_rows(talk.episode.pk, ada) if row.claim_id == talk.untimed.pk
    ]
    ties = [row for row in episode_note_rows(talk.episode.pk, ada) if row.seconds == 5]
    assert [row.created for row in ties] == sorted(row.created for row in ties)

"""Issue 18 in the services: bookmarks, time corrections, ranges, tags and replies."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.annotations.models import Annotation, Tag
from apps.annotations.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    body_tags,
    mark_moment,
)

from .factories import make_user

pytestmark = pytest.mark.django_db

PUBLIC = Annotation.Visibility.PUBLIC


def write(author, talk, body="A note", **kwargs) -> Annotation:
    return annotation_create(author=author, episode=talk.episode, body=body, **kwargs)


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.error_dict)


def test_mark_moment_saves_a_private_bookmark_on_the_claim_spoken_then(talk) -> None:
    note = mark_moment(make_user(), talk.episode, 125)

    note.refresh_from_db()
    assert (note.body, note.body_html, note.is_bookmark) == ("", "", True)
    assert (note.seconds, note.claim, note.visibility) == (125, talk.middle, "private")


def test_mark_moment_keeps_to_the_episode(talk) -> None:
    talk.episode.duration_seconds = 600
    talk.episode.save()
    with pytest.raises(ValidationError) as excinfo:
        mark_moment(make_user(), talk.episode, 601)
    assert error_fields(excinfo) == {"seconds"}


def test_an_empty_body_is_refused_unless_a_bookmark_is_asked_for(talk) -> None:
    author = make_user()
    with pytest.raises(ValidationError) as excinfo:
        write(author, talk, body="  ", seconds=70)
    assert error_fields(excinfo) == {"body"}
    assert write(author, talk, body="", seconds=70, allow_bookmark=True).is_bookmark


def test_a_range_is_kept_and_bounded(talk) -> None:
    talk.episode.duration_seconds = 800
    talk.episode.save()
    author = make_user()
    note = write(author, talk, seconds=754, end_seconds=790)
    note.refresh_from_db()
    assert (note.seconds, note.end_seconds) == (754, 790)
    assert note.range_url == f"/episodes/{talk.episode.video_id}/?t=754&end=790#{note.claim.anchor}"
    for start, end, field in (
        (754, 754, "end_seconds"),
        (700, 801, "end_seconds"),
        (801, None, "seconds"),
        (None, 100, "end_seconds"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            write(author, talk, seconds=start, end_seconds=end)
        assert error_fields(excinfo) == {field}


def test_a_range_on_a_claim_starts_at_its_time(talk) -> None:
    note = write(make_user(), talk, claim=talk.opening, end_seconds=80)
    assert (note.seconds, note.end_seconds) == (60, 80)
    with pytest.raises(ValidationError) as excinfo:
        write(make_user(), talk, claim=talk.opening, end_seconds=50)
    assert error_fields(excinfo) == {"end_seconds"}


def test_unknown_length_allows_a_day(talk) -> None:
    author = make_user()
    assert write(author, talk, seconds=86_400).seconds == 86_400
    with pytest.raises(ValidationError) as excinfo:
        write(author, talk, seconds=86_401)
    assert error_fields(excinfo) == {"seconds"}


def test_moving_a_note_places_it_on_the_claim_spoken_then(talk) -> None:
    author = make_user()
    note = write(author, talk, seconds=65)
    assert note.claim == talk.opening

    annotation_update(annotation=note, actor=author, seconds=130, end_seconds=140)

    note.refresh_from_db()
    assert (note.seconds, note.end_seconds, note.claim) == (130, 140, talk.middle)
    assert note.quote == "The middle claim"
    annotation_update(annotation=note, actor=author, seconds=10)
    note.refresh_from_db()
    # Before the first timestamp no claim is being spoken; the range keeps its end.
    assert (note.seconds, note.end_seconds, note.claim, note.quote) == (10, 140, None, "")
    annotation_update(annotation=note, actor=author, seconds=150)
    note.refresh_from_db()
    # Moved past its end, the range becomes a moment.
    assert (note.seconds, note.end_seconds, note.claim) == (150, None, talk.middle)


def test_a_time_correction_is_refused_naming_the_field(talk) -> None:
    talk.episode.duration_seconds = 5760
    talk.episode.save()
    author = make_user()
    note = write(author, talk, seconds=65)
    for changes, field in (
        ({"seconds": 999_999}, "seconds"),
        ({"end_seconds": 60}, "end_seconds"),
        ({"end_seconds": 6000}, "end_seconds"),
    ):
        with pytest.raises(ValidationError) as excinfo:
            annotation_update(annotation=note, actor=author, **changes)
        assert error_fields(excinfo) == {field}
    note.refresh_from_db()
    assert (note.seconds, note.end_seconds) == (65, None)


def test_end_seconds_zero_ends_a_range(talk) -> None:
    author = make_user()
    note = write(author, talk, seconds=65, end_seconds=80)
    annotation_update(annotation=note, actor=author, end_seconds=0)
    note.refresh_from_db()
    assert (note.seconds, note.end_seconds) == (65, None)


def test_tags_come_from_the_field_and_the_body(talk) -> None:
    note = write(
        make_user(),
        talk,
        body="See #Physics and # heading, a.b/#frag &#39;",
        seconds=1,
        tags=["#Ideas", "to-read", "ideas"],
    )
    assert note.tag_names == ["ideas", "to-read", "physics"]
    assert body_tags("# Heading\n#One #two-2 #3x") == ["one", "two-2"]


@pytest.mark.parametrize(
    "tags",
    [["no spaces allowed"], ["under_score"], ["x" * 41], [f"t{i}" for i in range(11)], [3]],
)
def test_bad_tags_are_refused_naming_tags(talk, tags) -> None:
    with pytest.raises(ValidationError) as excinfo:
        write(make_user(), talk, seconds=1, tags=tags)
    assert error_fields(excinfo) == {"tags"}
    assert not Tag.objects.exists()


def test_ten_tags_of_forty_characters_are_kept(talk) -> None:
    tags = [f"{i}" + "x" * 39 for i in range(10)]
    assert write(make_user(), talk, seconds=1, tags=tags).tag_names == tags


def test_editing_the_body_replaces_its_tags_and_keeps_the_given_ones(talk) -> None:
    author = make_user()
    note = write(author, talk, body="about #old", seconds=1, tags=["kept"])
    annotation_update(annotation=note, actor=author, body="about #new")
    assert Annotation.objects.get(pk=note.pk).tag_names == ["kept", "new"]
    annotation_update(annotation=note, actor=author, tags=["other"])
    assert Annotation.objects.get(pk=note.pk).tag_names == ["other", "new"]


def test_a_reply_goes_under_a_public_note_on_its_claim(talk) -> None:
    ada, bob = make_user("ada"), make_user("bob")
    top = write(ada, talk, claim=talk.middle, visibility=PUBLIC)

    reply = write(bob, talk, body="Agreed", parent=top.pk)

    assert (reply.parent, reply.claim, reply.seconds, reply.visibility) == (
        top,
        talk.middle,
        120,
        "private",
    )
    assert list(top.replies.all()) == [reply]


def test_a_reply_to_a_reply_goes_under_the_top_note(talk) -> None:
    ada, bob = make_user(), make_user()
    top = write(ada, talk, claim=talk.middle, visibility=PUBLIC)
    first = write(bob, talk, parent=top, visibility=PUBLIC)
    assert write(ada, talk, parent=first).parent == top


@pytest.mark.parametrize("case", ["private", "others_private", "missing", "other_episode"])
def test_a_reply_needs_a_public_note_one_can_see(talk, case) -> None:
    from tests.episodes.factories import make_episode

    ada, bob = make_user(), make_user()
    visibility = "private" if case in ("private", "others_private") else PUBLIC
    top = write(ada, talk, seconds=5, visibility=visibility)
    replier = ada if case == "private" else bob
    parent = top.pk + 1000 if case == "missing" else top.pk
    episode = make_episode(video_id="other000001") if case == "other_episode" else talk.episode
    with pytest.raises(ValidationError) as excinfo:
        annotation_create(author=replier, episode=episode, body="x", parent=parent)
    assert error_fields(excinfo) == {"parent"}


def test_a_reply_is_never_a_bookmark(talk) -> None:
    top = write(make_user(), talk, seconds=5, visibility=PUBLIC)
    with pytest.raises(ValidationError) as excinfo:
        write(make_user(), talk, body="", parent=top.pk, allow_bookmark=True)
    assert error_fields(excinfo) == {"body"}


def test_deleting_a_note_with_replies_keeps_a_placeholder_until_the_last_reply_goes(talk) -> None:
    ada, bob = make_user(), make_user()
    top = write(ada, talk, body="Top #t", seconds=5, visibility=PUBLIC)
    reply = write(bob, talk, body="Reply", parent=top.pk)

    annotation_delete(annotation=top, actor=ada)

    top.refresh_from_db()
    assert (top.deleted, top.body, top.body_html, top.tag_names) == (True, "", "", [])
    assert not Annotation.objects.visible_to(ada).filter(pk=top.pk).exists()
    reply.refresh_from_db()
    assert reply.parent_id == top.pk
    with pytest.raises(Http404):
        annotation_update(annotation=top, actor=ada, body="back")

    annotation_delete(annotation=reply, actor=bob)
    assert not Annotation.objects.filter(pk__in=[top.pk, reply.pk]).exists()


def test_a_note_without_replies_is_deleted_outright(talk) -> None:
    ada = make_user()
    note = write(ada, talk, body="x #t", seconds=5)
    annotation_delete(annotation=note, actor=ada)
    assert not Annotation.objects.filter(pk=note.pk).exists()
    assert not Tag.objects.exists()


def test_only_the_author_moves_or_tags_a_note(talk) -> None:
    ada = make_user()
    note = write(ada, talk, seconds=5, visibility=PUBLIC)
    for changes in ({"seconds": 9}, {"tags": ["x"]}):
        with pytest.raises(PermissionDenied):
            annotation_update(annotation=note, actor=make_user(), **changes)
    note.refresh_from_db()
    assert (note.seconds, note.tag_names) == (5, [])

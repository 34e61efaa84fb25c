from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from apps.annotations.models import MAX_BODY_LENGTH, Annotation
from apps.annotations.services import annotation_create, annotation_delete, annotation_update
from tests.episodes.factories import make_article, make_claim, make_episode

from .factories import make_annotation, make_user

pytestmark = pytest.mark.django_db


def test_create_on_a_claim_keeps_its_text_and_first_time_and_is_private(talk) -> None:
    author = make_user()

    note = annotation_create(author=author, episode=talk.episode, claim=talk.opening, body="Hm")

    note.refresh_from_db()
    assert (note.claim, note.seconds, note.quote) == (talk.opening, 60, "The opening claim")
    assert (note.body, note.visibility, note.author) == ("Hm", "private", author)


def test_create_on_a_claim_at_a_given_second_keeps_that_second(talk) -> None:
    note = annotation_create(
        author=make_user(), episode=talk.episode, claim=talk.opening, seconds=75, body="x"
    )

    assert (note.claim, note.seconds) == (talk.opening, 75)


def test_create_on_an_untimed_claim_has_no_time(talk) -> None:
    note = annotation_create(author=make_user(), episode=talk.episode, claim=talk.untimed, body="x")

    assert (note.claim, note.seconds, note.quote) == (talk.untimed, None, "A claim with no time")


@pytest.mark.parametrize(
    ("seconds", "spoken"), [(60, "opening"), (119, "opening"), (120, "middle"), (5000, "middle")]
)
def test_create_at_a_moment_attaches_to_the_claim_with_the_greatest_timestamp_before_it(
    talk, seconds, spoken
) -> None:
    note = annotation_create(author=make_user(), episode=talk.episode, seconds=seconds, body="x")

    assert note.claim == getattr(talk, spoken)
    assert note.seconds == seconds
    assert note.quote == getattr(talk, spoken).text


def test_create_before_the_first_timestamp_is_a_note_at_that_moment_without_claim(talk) -> None:
    note = annotation_create(author=make_user(), episode=talk.episode, seconds=10, body="x")

    assert (note.claim, note.seconds, note.quote, note.is_detached) == (None, 10, "", False)


def test_create_at_a_moment_ignores_other_episodes_timestamps(talk) -> None:
    other = make_article(make_episode())
    make_claim(other, text="Elsewhere", seconds=[30])

    note = annotation_create(author=make_user(), episode=talk.episode, seconds=45, body="x")

    assert note.claim is None


def test_create_public_note(talk) -> None:
    note = annotation_create(
        author=make_user(), episode=talk.episode, claim=talk.middle, body="x", visibility="public"
    )

    assert note.visibility == Annotation.Visibility.PUBLIC


@pytest.mark.parametrize(
    ("body", "code"),
    [("", "required"), ("   \n\t ", "required"), ("x" * (MAX_BODY_LENGTH + 1), "max_length")],
)
def test_create_refuses_an_empty_or_over_long_body(talk, body, code) -> None:
    with pytest.raises(ValidationError) as raised:
        annotation_create(author=make_user(), episode=talk.episode, claim=talk.opening, body=body)

    assert [error.code for error in raised.value.error_dict["body"]] == [code]
    assert Annotation.objects.count() == 0


def test_create_accepts_a_body_of_exactly_the_limit(talk) -> None:
    body = "x" * MAX_BODY_LENGTH

    note = annotation_create(
        author=make_user(), episode=talk.episode, claim=talk.opening, body=body
    )

    assert len(note.body) == MAX_BODY_LENGTH


def test_create_strips_surrounding_whitespace(talk) -> None:
    note = annotation_create(
        author=make_user(), episode=talk.episode, claim=talk.opening, body="\n  *Hi*  \n"
    )

    assert note.body == "*Hi*"


@pytest.mark.parametrize(
    ("field", "value"), [("visibility", "friends"), ("seconds", -1), ("seconds", "60")]
)
def test_create_refuses_bad_visibility_or_time(talk, field, value) -> None:
    with pytest.raises(ValidationError) as raised:
        annotation_create(
            author=make_user(), episode=talk.episode, claim=talk.opening, body="x", **{field: value}
        )

    assert list(raised.value.error_dict) == [field]


def test_create_refuses_a_claim_of_another_episode(talk) -> None:
    stranger = make_claim(make_article(make_episode()), text="Elsewhere", seconds=[1])

    with pytest.raises(ValidationError) as raised:
        annotation_create(author=make_user(), episode=talk.episode, claim=stranger, body="x")

    assert list(raised.value.error_dict) == ["claim"]


def test_create_refuses_an_anonymous_author(talk) -> None:
    with pytest.raises(PermissionDenied):
        annotation_create(
            author=AnonymousUser(), episode=talk.episode, claim=talk.opening, body="x"
        )


def test_update_changes_body_and_visibility_for_the_author(talk) -> None:
    author = make_user()
    note = make_annotation(author, claim=talk.opening, body="before")

    annotation_update(annotation=note, actor=author, body="after *now*", visibility="public")

    note.refresh_from_db()
    assert (note.body, note.visibility) == ("after *now*", "public")
    assert note.body_html == "<p>after <em>now</em></p>\n"


def test_update_leaves_out_what_is_not_given(talk) -> None:
    author = make_user()
    note = make_annotation(author, claim=talk.opening, body="kept", visibility="public")

    annotation_update(annotation=note, actor=author, visibility="private")

    note.refresh_from_db()
    assert (note.body, note.visibility) == ("kept", "private")


def test_update_refuses_an_empty_body_and_keeps_the_old_one(talk) -> None:
    author = make_user()
    note = make_annotation(author, claim=talk.opening, body="kept")

    with pytest.raises(ValidationError):
        annotation_update(annotation=note, actor=author, body="  ")

    note.refresh_from_db()
    assert note.body == "kept"


@pytest.mark.parametrize("visibility", ["private", "public"])
def test_update_and_delete_by_someone_else_are_refused(talk, visibility) -> None:
    note = make_annotation(make_user(), claim=talk.opening, body="mine", visibility=visibility)
    intruder = make_user()

    with pytest.raises(PermissionDenied):
        annotation_update(annotation=note, actor=intruder, body="theirs")
    with pytest.raises(PermissionDenied):
        annotation_delete(annotation=note, actor=intruder)
    with pytest.raises(PermissionDenied):
        annotation_delete(annotation=note, actor=AnonymousUser())

    note.refresh_from_db()
    assert note.body == "mine"


def test_delete_by_the_author_removes_the_note(talk) -> None:
    author = make_user()
    note = make_annotation(author, claim=talk.opening)

    annotation_delete(annotation=note, actor=author)

    assert not Annotation.objects.filter(pk=note.pk).exists()


def test_update_of_a_note_deleted_meanwhile_is_not_found(talk) -> None:
    author = make_user()
    note = make_annotation(author, claim=talk.opening, body="old words")
    Annotation.objects.filter(pk=note.pk).delete()  # by another request, after this one read it

    with pytest.raises(Http404):
        annotation_update(annotation=note, actor=author, body="new words")

    assert not Annotation.objects.filter(pk=note.pk).exists()

"""The note pages for issue 18: the edit form's time, range and tags; /notes/ filters; a
note's page with its replies, its reply form (plain POST) and the deleted-note placeholder."""

from __future__ import annotations

import pytest

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create, annotation_delete
from tests.episodes.factories import make_episode
from tests.pages.test_views import elements, page_text

from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    user = make_user("reader")
    client.force_login(user)
    return user


def write(author, talk, body="A note", **kwargs) -> Annotation:
    return annotation_create(author=author, episode=talk.episode, body=body, **kwargs)


def tag_links(response) -> list[tuple[str, str]]:
    html = response.content.decode()
    return [
        (attrs["href"], html.split(f'href="{attrs["href"]}"', 1)[1].split("<", 1)[0].lstrip(">"))
        for tag, attrs in elements(response, "class")
        if tag == "a" and attrs["class"] == "tag"
    ]


def edit(client, note, **fields):
    data = {"body": note.body, "visibility": note.visibility, **fields}
    return client.post(f"/notes/{note.pk}/edit/", data)


def test_the_edit_form_shows_time_range_and_the_tags_not_in_the_body(client, reader, talk) -> None:
    note = write(reader, talk, body="On #physics", seconds=754, end_seconds=790, tags=["later"])

    response = client.get(f"/notes/{note.pk}/edit/")

    values = {attrs["name"]: attrs.get("value") for _, attrs in elements(response, "name")}
    assert (values["seconds"], values["end_seconds"], values["tags"]) == ("12:34", "13:10", "later")
    hooks = [attrs["data-note-time"] for _, attrs in elements(response, "data-note-time")]
    assert hooks == ["start", "end"]


def test_the_edit_form_moves_a_note_makes_a_range_and_tags_it(client, reader, talk) -> None:
    note = write(reader, talk, seconds=65)

    response = edit(client, note, seconds="2:10", end_seconds="150", tags="Physics, to-read")

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.seconds, note.end_seconds, note.claim) == (130, 150, talk.middle)
    assert note.tag_names == ["physics", "to-read"]
    edit(client, note, seconds="2:10", end_seconds="", tags="")
    note.refresh_from_db()
    assert (note.end_seconds, note.tag_names) == (None, [])


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"seconds": "99:00"}, "seconds", "A moment is between 0:00 and 1:36:00"),
        ({"seconds": "1:00", "end_seconds": "0:30"}, "end_seconds", "A range ends after"),
        ({"seconds": "soon"}, "seconds", "Write a time such as"),
        ({"tags": "no_underscores"}, "tags", "a tag holds only letters"),
    ],
)
def test_a_bad_time_or_tag_is_a_form_error_on_its_field(
    client, reader, talk, fields, field, message
) -> None:
    talk.episode.duration_seconds = 96 * 60
    talk.episode.save()
    note = write(reader, talk, seconds=65)

    response = edit(client, note, **fields)

    assert response.status_code == 200
    html = response.content.decode()
    field_html = html.split(f'name="{field}"', 1)[1]
    assert message in field_html.split("</ul>", 1)[0]
    note.refresh_from_db()
    assert (note.seconds, note.end_seconds) == (65, None)


def test_a_bookmark_is_moved_without_being_written_up_then_written_up(client, reader, talk) -> None:
    from apps.annotations.services import mark_moment

    note = mark_moment(reader, talk.episode, 65)
    assert edit(client, note, body="", seconds="2:00").status_code == 302
    note.refresh_from_db()
    assert (note.body, note.seconds) == ("", 120)
    edit(client, note, body="Written up #done", seconds="2:00")
    note.refresh_from_db()
    assert (note.body, note.tag_names) == ("Written up #done", ["done"])


def test_chips_link_to_the_tag_filter(client, reader, talk) -> None:
    note = write(reader, talk, body="x #alpha", seconds=5, tags=["beta"])

    response = client.get(f"/notes/{note.pk}/")

    assert tag_links(response) == [("/notes/?tag=beta", "#beta"), ("/notes/?tag=alpha", "#alpha")]


def test_my_notes_filter_by_tag_episode_and_words(client, reader, talk) -> None:
    other = make_episode(video_id="other000001", title="Other talk")
    write(reader, talk, body="Gravity #physics", seconds=5)
    write(reader, talk, body="Poems", seconds=6, tags=["art"])
    annotation_create(author=reader, episode=other, body="More gravity #physics", seconds=7)
    annotation_create(
        author=make_user(), episode=other, body="gravity #physics", seconds=7, visibility="public"
    )

    def bodies(query: str) -> list[str]:
        response = client.get(f"/notes/{query}")
        return [
            line for line in page_text(response).split(" ") if line in {"Gravity", "Poems", "More"}
        ]

    assert bodies("?tag=%23Physics") == ["More", "Gravity"]
    assert bodies("?episode=talk0000001") == ["Poems", "Gravity"]
    assert bodies("?q=GRAVITY") == ["More", "Gravity"]
    assert bodies("?q=gravity&episode=talk0000001") == ["Gravity"]
    assert bodies("?tag=art") == ["Poems"]
    assert "None of your notes matches" in page_text(client.get("/notes/?tag=nothing"))


def test_a_reply_without_javascript_lands_under_the_note(client, reader, talk) -> None:
    ada = make_user("ada")
    top = write(ada, talk, body="Top", claim=talk.middle, visibility="public")

    response = client.post(f"/notes/{top.pk}/reply/", {"body": "Agreed", "visibility": "public"})

    reply = Annotation.objects.get(parent=top)
    assert response.status_code == 302
    assert response["Location"] == f"/notes/{top.pk}/#{reply.anchor}"
    assert (reply.author, reply.body, reply.claim, reply.visibility) == (
        reader,
        "Agreed",
        talk.middle,
        "public",
    )
    page = client.get(f"/notes/{top.pk}/")
    replies = [attrs for _, attrs in elements(page, "data-replies-for")]
    assert replies == [
        {
            "class": "replies",
            "id": "replies",
            "aria-labelledby": "replies-title",
            "data-replies-for": str(top.pk),
        }
    ]
    assert "1 reply" in page_text(page) and "Agreed" in page_text(page)
    listed = client.get(talk.episode.get_absolute_url())
    counts = [attrs["data-note-replies"] for _, attrs in elements(listed, "data-note-replies")]
    assert counts == ["1"]


def test_an_empty_reply_is_a_form_error(client, reader, talk) -> None:
    top = write(make_user(), talk, body="Top", seconds=5, visibility="public")

    response = client.post(f"/notes/{top.pk}/reply/", {"body": "  "})

    assert response.status_code == 422
    assert "Write something first." in page_text(response)
    assert not Annotation.objects.filter(parent=top).exists()


def test_replying_to_a_private_note_is_not_found(client, reader, talk) -> None:
    hidden = write(make_user(), talk, body="Mine", seconds=5)
    assert client.post(f"/notes/{hidden.pk}/reply/", {"body": "x"}).status_code == 404
    own = write(reader, talk, body="Own", seconds=5)
    response = client.post(f"/notes/{own.pk}/reply/", {"body": "x"})
    assert response.status_code == 422
    assert "There is no public note with that id to reply to." in page_text(response)


def test_a_private_reply_is_seen_by_its_author_only(client, reader, talk) -> None:
    ada = make_user("ada")
    top = write(ada, talk, body="Top", seconds=5, visibility="public")
    write(reader, talk, body="Only mine", parent=top.pk)

    assert "Only mine" in page_text(client.get(f"/notes/{top.pk}/"))
    client.force_login(ada)
    page = client.get(f"/notes/{top.pk}/")
    assert "Only mine" not in page_text(page)
    assert "0 replies" in page_text(page)


def test_a_deleted_note_with_replies_is_a_placeholder_above_them(client, reader, talk) -> None:
    ada = make_user("ada")
    top = write(ada, talk, body="Top secret words", seconds=5, visibility="public")
    reply = write(reader, talk, body="Still readable", parent=top.pk, visibility="public")
    annotation_delete(annotation=top, actor=ada)

    page = client.get(f"/notes/{top.pk}/")

    assert page.status_code == 200
    text = page_text(page)
    assert "Deleted note" in text and "Still readable" in text
    assert "Top secret words" not in text
    assert "a deleted note" in page_text(client.get(f"/notes/{reply.pk}/"))
    client.logout()
    assert client.get(f"/notes/{top.pk}/").status_code == 200
    annotation_delete(annotation=reply, actor=reader)
    assert client.get(f"/notes/{top.pk}/").status_code == 404


def test_the_admin_shows_a_note_with_its_tags_and_parent_as_an_id(client, talk) -> None:
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("boss", password="a long enough passphrase 42")
    top = write(make_user(), talk, body="Top", seconds=5, visibility="public")
    reply = write(make_user(), talk, body="Reply #tagged", parent=top.pk)
    client.force_login(admin)

    response = client.get(f"/admin/annotations/annotation/{reply.pk}/change/")

    assert response.status_code == 200
    values = {attrs.get("name"): attrs.get("value") for _, attrs in elements(response, "name")}
    assert values["parent"] == str(top.pk)
    assert values["tags-0-name"] == "tagged"

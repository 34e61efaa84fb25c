"""notes.md shows a note's range, tags and the note it replies to (issue 18)."""

from __future__ import annotations

import pytest

from apps.annotations.services import annotation_create, annotation_delete, mark_moment
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

pytestmark = pytest.mark.django_db


def test_notes_md_shows_ranges_tags_bookmarks_and_replies(client) -> None:
    episode = make_episode(video_id="threads0001", title="Threads")
    article = make_article(episode)
    make_claim(article, section=make_section(article, title="Part"), text="Said", seconds=[700])
    ada, reader = make_user("ada"), make_user("reader")
    top = annotation_create(
        author=ada, episode=episode, seconds=754, body="Ada's *point*\nmore", visibility="public"
    )
    annotation_create(
        author=reader,
        episode=episode,
        seconds=754,
        end_seconds=790,
        body="A clip #rl",
        tags=["to-read"],
    )
    annotation_create(author=reader, episode=episode, body="I agree", parent=top.pk)
    mark_moment(reader, episode, 800)
    client.force_login(reader)

    document = client.get("/episodes/threads0001/notes.md").content.decode()

    assert "> [!note] Note · 12:34\N{EN DASH}13:10 · private\n    > A clip #rl\n" in document
    assert "    > *Tags:* #to-read #rl\n" in document
    assert (
        "> [!note] Reply · 12:34 · private\n    > *In reply to:* ada: “Ada's \\*point\\*”\n"
        "    > I agree\n"
    ) in document
    assert "> [!note] Bookmark · 13:20 · private\n" in document
    annotation_delete(annotation=top, actor=ada)
    document = client.get("/episodes/threads0001/notes.md").content.decode()
    assert "> *In reply to:* a deleted note\n" in document

"""In Chromium: "Show all N notes" under a busy claim brings the rest of its notes in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode

pytestmark = pytest.mark.e2e


def test_show_all_brings_every_note_of_the_claim_into_the_page(
    page, live_server, transactional_db, traffic, settings
) -> None:
    settings.NOTES_PER_CLAIM = 3
    episode = make_episode(video_id="busyclaim01", title="A busy claim")
    claim = make_claim(make_article(episode, slug="said"), text="Everyone noted this", seconds=[9])
    author = make_user("grace")
    for number in range(1, 8):
        make_annotation(author, claim=claim, body=f"Note {number}", visibility="public")
    make_annotation(make_user(), claim=claim, body="Kept to herself")
    page.goto(f"{live_server.url}/episodes/busyclaim01/")
    page.wait_for_function("() => window.Seeknotes !== undefined")
    notes = page.locator(f"[data-annotations-for='{claim.pk}'] [data-annotation-id] .note-body")
    expect(notes).to_have_text(["Note 1", "Note 2", "Note 3"])

    page.get_by_role("link", name="Show all 7 notes").click()

    expect(notes).to_have_text([f"Note {number}" for number in range(1, 8)])
    assert page.url == f"{live_server.url}/episodes/busyclaim01/"
    expect(page.get_by_role("link", name="Show all 7 notes")).to_have_count(0)

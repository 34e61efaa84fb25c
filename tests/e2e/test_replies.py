"""Replies on the episode page: a public note's thread opens under it and takes a reply
without leaving the episode."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def adas_public_note(seed_episode):
    ada = make_user("ada")
    return annotation_create(
        author=ada,
        episode=seed_episode,
        seconds=754,
        body="The loss keeps falling",
        visibility="public",
    )


def test_a_reply_is_written_under_the_note_without_leaving_the_episode(
    page, live_server, seed_episode, traffic, adas_public_note
) -> None:
    make_user("bob")
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "bob", path)
    page.wait_for_function("() => window.Seeknotes !== undefined")
    note = page.locator(f"[data-annotation-id='{adas_public_note.pk}']").first
    page.evaluate("() => { window.__notReloaded = true; }")

    note.locator("a[data-note-replies]").click()
    thread = note.locator("[data-replies-for]")
    expect(thread).to_be_visible()
    expect(thread.locator("textarea")).to_be_focused()
    thread.locator("textarea").fill("Past 13:10 too?")
    thread.get_by_label("Everyone").check()
    thread.get_by_role("button", name="Reply").click()

    expect(thread.locator("[data-annotation-id]")).to_contain_text("Past 13:10 too?")
    expect(note.locator("a[data-note-replies]")).to_have_text("1 reply")
    assert page.evaluate("window.__notReloaded") is True
    assert page.url == f"{live_server.url}{path}"
    [reply] = Annotation.objects.filter(parent=adas_public_note)
    assert (reply.author.username, reply.body, reply.visibility) == (
        "bob",
        "Past 13:10 too?",
        "public",
    )
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids))


def test_the_thread_closes_again_and_its_link_is_the_notes_page(
    page, live_server, seed_episode, traffic, adas_public_note
) -> None:
    make_user("bob")
    sign_in(page, live_server, "bob", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    note = page.locator(f"[data-annotation-id='{adas_public_note.pk}']").first
    link = note.locator("a[data-note-replies]")

    link.click()
    expect(note.locator("[data-replies-for]")).to_have_count(1)
    link.click()
    expect(note.locator("[data-replies-for]")).to_have_count(0)
    expect(link).to_have_attribute("aria-expanded", "false")
    assert link.get_attribute("href") == f"/notes/{adas_public_note.pk}/#replies"

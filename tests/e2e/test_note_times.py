"""A note's time on the episode page: a bookmark written up, its end set to "now" to make it a
range, its start set to "now" to move it; each save moves it without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.annotations.services import _claim_spoken_at, mark_moment
from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def bookmark_page(page, live_server, seed_episode, traffic):
    """Signed in as ada, her bookmark at 12:34 on the page, the stand-in playing."""
    ada = make_user("ada")
    bookmark = mark_moment(ada, seed_episode, 754)
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")
    return page, bookmark


def open_edit(page, note_id: int):
    note = page.locator(f"[data-annotation-id='{note_id}']")
    note.get_by_role("link", name="Edit").click()
    form = page.locator(f"[data-annotation-id='{note_id}'] form[data-annotation-form]")
    expect(form).to_be_visible()
    return form


def test_a_bookmark_is_written_up_and_made_a_range_ending_now(bookmark_page) -> None:
    page, bookmark = bookmark_page
    form = open_edit(page, bookmark.pk)
    expect(form.locator("[data-note-time='start']")).to_have_value("12:34")

    form.locator("textarea").fill("Why the loss falls #scaling")
    page.evaluate("window.__ytSetTime(790)")
    form.get_by_role("button", name="Set the end to now").click()
    expect(form.locator("[data-note-time='end']")).to_have_value("13:10")
    form.get_by_role("button", name="Save").click()

    note = page.locator(f"[data-annotation-id='{bookmark.pk}']")
    expect(note.locator(".note-time")).to_have_text("12:34\u201313:10")
    expect(note.locator(".note-body")).to_contain_text("Why the loss falls")
    mark = page.locator(f".tl-note[data-note='{bookmark.pk}']")
    expect(mark).to_have_attribute("data-until", "790")
    expect(note.locator("a[data-clip]")).to_have_attribute(
        "href", f"{page.evaluate('location.pathname')}?t=754&end=790#c{bookmark.claim_id}"
    )
    bookmark.refresh_from_db()
    assert (bookmark.seconds, bookmark.end_seconds) == (754, 790)
    assert bookmark.body == "Why the loss falls #scaling"


def test_setting_the_start_to_now_moves_the_note_to_the_claim_spoken_then(bookmark_page) -> None:
    page, bookmark = bookmark_page
    old_claim = bookmark.claim_id
    new_claim = _claim_spoken_at(bookmark.episode, 100)
    assert new_claim is not None and new_claim.pk != old_claim
    form = open_edit(page, bookmark.pk)

    form.locator("textarea").fill("Earlier than I thought")
    page.evaluate("window.__ytSetTime(100)")
    form.get_by_role("button", name="Set the start to now").click()
    expect(form.locator("[data-note-time='start']")).to_have_value("1:40")
    page.evaluate("() => { window.__notReloaded = true; }")
    form.get_by_role("button", name="Save").click()

    moved = page.locator(f"[data-claim-id='{new_claim.pk}'] [data-annotation-id='{bookmark.pk}']")
    expect(moved).to_have_count(1)
    expect(moved.locator(".note-time")).to_have_text("1:40")
    expect(page.locator(f"[data-annotation-id='{bookmark.pk}']")).to_have_count(1)
    expect(page.locator(f".tl-note[data-note='{bookmark.pk}']")).to_have_attribute("data-at", "100")
    assert page.evaluate("window.__notReloaded") is True
    bookmark.refresh_from_db()
    assert (bookmark.seconds, bookmark.claim_id) == (100, new_claim.pk)
    assert Annotation.objects.count() == 1

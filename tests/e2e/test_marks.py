"""Mark the moment in the browser: `m` or the button saves a bookmark at the player's time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def playing_at_754(page, live_server, seed_episode, traffic):
    """The seed episode's page, signed in, the stand-in player playing at 12:34."""
    make_user("ada")
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", path)
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")
    page.evaluate("window.__ytSetTime(754)")
    return page


def test_m_marks_the_moment_the_player_is_at(playing_at_754) -> None:
    page = playing_at_754

    page.keyboard.press("m")

    note = page.locator("[data-annotation-id]").filter(has_text="Marked at 12:34")
    expect(note).to_have_count(1)
    expect(page.locator("[data-mark-status]")).to_have_text("Marked at 12:34")
    [bookmark] = Annotation.objects.all()
    assert (bookmark.seconds, bookmark.body, bookmark.visibility) == (754, "", "private")
    assert bookmark.claim is not None
    assert note.get_attribute("data-annotation-id") == str(bookmark.pk)
    # Under the claim spoken then, and on the timeline, without a reload.
    claim = page.locator(f"[data-claim-id='{bookmark.claim_id}']")
    expect(claim.locator(f"[data-annotation-id='{bookmark.pk}']")).to_have_count(1)
    expect(page.locator(f".tl-note[data-note='{bookmark.pk}']")).to_have_attribute(
        "aria-label", "Marked at 12:34"
    )


def test_m_while_typing_is_a_letter_not_a_mark(playing_at_754) -> None:
    page = playing_at_754
    page.locator("[data-note-now] summary").click()
    body = page.locator("[data-note-now-form] textarea")

    body.press("m")

    expect(body).to_have_value("m")
    page.wait_for_timeout(300)
    assert Annotation.objects.count() == 0


def test_the_mark_button_marks_the_moment_too(playing_at_754) -> None:
    page = playing_at_754
    page.evaluate("window.__ytSetTime(790)")

    page.get_by_role("button", name="Mark the moment").click()

    expect(page.locator("[data-mark-status]")).to_have_text("Marked at 13:10")
    assert list(Annotation.objects.values_list("seconds", "body")) == [(790, "")]


def test_without_javascript_the_button_marks_the_moment_the_page_opened_at(
    browser, live_server, seed_episode
) -> None:
    make_user("ada")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        path = f"{seed_episode.get_absolute_url()}?t=754"
        sign_in(page, live_server, "ada", path)

        page.get_by_role("button", name="Mark the moment").click()
        page.wait_for_url(re.compile(r"\?t=754#c\d+$"))

        [bookmark] = Annotation.objects.all()
        assert (bookmark.seconds, bookmark.body) == (754, "")
        assert page.url == f"{live_server.url}{path}#c{bookmark.claim_id}"
        note = page.locator(f"[data-annotation-id='{bookmark.pk}']")
        expect(note).to_contain_text("Marked at 12:34")
    finally:
        context.close()


def test_m_signed_out_marks_nothing_and_points_to_signing_in(episode_page) -> None:
    page = episode_page()

    page.keyboard.press("m")

    expect(page.locator("[data-note-signin]")).to_be_focused()
    assert Annotation.objects.count() == 0

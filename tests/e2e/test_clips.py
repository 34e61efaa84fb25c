"""Clips: a link to a range opens cued at its start, plays it and stops (or loops) at its end;
"Clip" on a claim or a note copies such a link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.services import annotation_create
from tests.annotations.factories import make_user

from .conftest import yt_calls

pytestmark = pytest.mark.e2e


def wait_for_calls(page, name: str, count: int = 1) -> None:
    page.wait_for_function(
        "([n, count]) => (window.__ytCalls || []).filter((c) => c[0] === n).length >= count",
        arg=[name, count],
    )


def seeks(page) -> list[int]:
    return [call[1] for call in yt_calls(page, "seekTo")]


@pytest.mark.parametrize("address", ["?t=754&end=790", "#t=754,790", "#t=npt:12:34,13:10"])
def test_a_clip_link_opens_cued_and_pauses_at_its_end(episode_page, traffic, address) -> None:
    page = episode_page(address)
    page.wait_for_load_state("networkidle")

    expect(page.locator("[data-player-note]")).to_contain_text("Play 12:34\u201313:10")
    assert traffic.external() == []
    assert page.evaluate("window.Seeknotes.follower.time") == 754
    expect(page.locator("[data-clip-range]")).to_contain_text("Clip 12:34\u201313:10")
    expect(page.locator("[data-player-facade]")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=Wo95ob_s_NI&t=754s"
    )

    page.locator("[data-player-facade]").click()
    wait_for_calls(page, "playVideo")
    assert seeks(page) == [754]
    [[_, _, player_vars]] = yt_calls(page, "Player")
    assert player_vars["start"] == 754

    page.evaluate("window.__ytSetTime(780)")
    page.wait_for_timeout(400)
    assert yt_calls(page, "pauseVideo") == []

    page.evaluate("window.__ytSetTime(790)")
    wait_for_calls(page, "pauseVideo")
    assert seeks(page) == [754]
    assert traffic.offsite == []


def test_a_looped_clip_goes_back_to_its_start_at_its_end(episode_page) -> None:
    page = episode_page("?t=754&end=790")
    page.locator("[data-clip-loop]").check()

    page.locator("[data-player-facade]").click()
    wait_for_calls(page, "playVideo")
    page.evaluate("window.__ytSetTime(791)")
    wait_for_calls(page, "seekTo", 2)

    assert seeks(page) == [754, 754]
    assert yt_calls(page, "pauseVideo") == []


def test_a_seek_outside_the_clip_lets_it_go(episode_page) -> None:
    page = episode_page("?t=754&end=790")
    page.locator("[data-player-facade]").click()
    wait_for_calls(page, "playVideo")

    page.locator("a[data-seconds='97']").first.click()
    wait_for_calls(page, "seekTo", 2)
    page.evaluate("window.__ytSetTime(800)")
    page.wait_for_timeout(500)

    assert yt_calls(page, "pauseVideo") == []


def test_a_page_without_a_range_shows_no_clip_controls(episode_page) -> None:
    page = episode_page("?t=754")

    expect(page.locator("[data-clip-range]")).to_be_hidden()
    assert page.evaluate("window.Seeknotes.clip.active") is False


def test_clip_on_a_claim_copies_a_link_that_plays_it(episode_page, page, live_server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = episode_page()
    claim = page.locator("[data-claim-id]").filter(has=page.locator("a[data-seconds='97']")).first
    claim_id = claim.get_attribute("id")
    start = int(claim.locator(".claim-body a[data-seconds]").first.get_attribute("data-seconds"))

    claim.locator("[data-clip-claim]").click()

    expect(claim.locator("[data-clip-copied]")).to_have_text("Clip link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    path = page.evaluate("location.pathname")
    assert copied.startswith(f"{live_server.url}{path}?t={start}&end=")
    assert copied.endswith(f"#{claim_id}")
    end = int(copied.split("&end=")[1].split("#")[0])
    assert end > start


def test_without_a_clipboard_the_clip_link_is_shown_to_copy(episode_page) -> None:
    page = episode_page()
    page.evaluate(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText: () => "
        "Promise.reject(new Error('no'))}})"
    )
    claim = page.locator("[data-claim-id]").filter(has=page.locator("a[data-seconds='97']")).first

    claim.locator("[data-clip-claim]").click()

    field = claim.locator("[data-clip-copied] input")
    expect(field).to_be_visible()
    assert "&end=" in field.input_value()


def test_a_seek_outside_the_clip_hides_its_loop_choice(episode_page) -> None:
    page = episode_page("?t=754&end=790")
    page.locator("[data-player-facade]").click()
    wait_for_calls(page, "playVideo")

    page.locator("a[data-seconds='97']").first.click()

    expect(page.locator("[data-clip-range]")).to_be_hidden()


def test_pressing_a_notes_range_plays_it_and_stops_at_its_end(episode_page, seed_episode) -> None:
    note = annotation_create(
        author=make_user("ada"),
        episode=seed_episode,
        seconds=754,
        end_seconds=790,
        body="The part worth hearing twice",
        visibility="public",
    )
    page = episode_page()

    page.locator(f"[data-annotation-id='{note.pk}'] a[data-note-until]").click()
    wait_for_calls(page, "playVideo")
    expect(page.locator("[data-clip-range]")).to_contain_text("Clip 12:34\u201313:10")
    page.evaluate("window.__ytSetTime(790)")
    wait_for_calls(page, "pauseVideo")

    assert seeks(page) == [754]

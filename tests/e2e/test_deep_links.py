"""A link to a moment keeps the privacy promise: the facade is cued there, YouTube waits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import yt_calls

pytestmark = pytest.mark.e2e


def facade_of(page):
    return page.locator("[data-player-facade]")


def wait_for_calls(page, name: str) -> None:
    page.wait_for_function("(n) => (window.__ytCalls || []).some((c) => c[0] === n)", arg=name)


def test_a_moment_opens_the_facade_cued_there_and_asks_nothing_of_youtube(
    episode_page, traffic
) -> None:
    page = episode_page("?t=3723")
    page.wait_for_load_state("networkidle")

    expect(page.locator("[data-player-note]")).to_contain_text("Play from 1:02:03")
    expect(facade_of(page)).to_be_visible()
    assert traffic.external() == []
    assert page.evaluate("typeof window.YT") == "undefined"
    assert page.evaluate("window.Seeknotes.follower.time") == 3723


def test_play_on_a_cued_facade_starts_the_player_at_that_moment(episode_page, traffic) -> None:
    page = episode_page("?t=3723")

    facade_of(page).click()
    wait_for_calls(page, "playVideo")

    [[_, video_id, player_vars]] = yt_calls(page, "Player")
    assert (video_id, player_vars["start"], player_vars["autoplay"]) == ("Wo95ob_s_NI", 3723, 1)
    assert [call[1] for call in yt_calls(page, "seekTo")] == [3723]
    expect(facade_of(page)).to_be_hidden()
    assert traffic.offsite == []


def test_a_timestamp_on_a_cued_page_starts_the_player_at_the_timestamp(
    episode_page, traffic
) -> None:
    page = episode_page("?t=3723")
    assert traffic.external() == []

    page.locator("a[data-seconds='97']").first.click()
    wait_for_calls(page, "playVideo")

    [[_, _, player_vars]] = yt_calls(page, "Player")
    assert player_vars["start"] == 97
    assert [call[1] for call in yt_calls(page, "seekTo")] == [97]


def test_a_moment_past_the_known_end_opens_the_facade_at_the_start(
    episode_page, seed_episode, traffic
) -> None:
    seed_episode.duration_seconds = 5000
    seed_episode.save(update_fields=["duration_seconds"])
    page = episode_page("?t=27h46m39s")

    expect(page.locator("[data-player-note]")).to_have_text("Plays from YouTube")
    assert page.locator("[data-player]").get_attribute("data-start") is None

    facade_of(page).click()
    wait_for_calls(page, "playVideo")

    [[_, _, player_vars]] = yt_calls(page, "Player")
    assert player_vars["start"] == 0
    assert traffic.external() == ["https://www.youtube.com/iframe_api"]

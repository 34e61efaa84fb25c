from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import IFRAME_API, yt_calls

pytestmark = pytest.mark.e2e


def claim_with(page, seconds: int):
    """The claim that owns the timestamp link for `seconds`."""
    return page.locator("[data-claim-id]").filter(
        has=page.locator(f":scope > .claim-body a[data-seconds='{seconds}']")
    )


def segment_with(page, seconds: int):
    return page.locator("[data-segment]").filter(has=page.locator(f"a[data-seconds='{seconds}']"))


def wait_for_seek(page, seconds: int) -> None:
    page.wait_for_function(
        "(s) => (window.__ytCalls || []).some((c) => c[0] === 'seekTo' && c[1] === s)", arg=seconds
    )


def test_no_request_leaves_the_machine_before_the_first_play(episode_page, traffic) -> None:
    page = episode_page()
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 800)
    page.keyboard.press("j")
    page.keyboard.press("f")
    page.wait_for_timeout(300)

    assert traffic.external() == []
    assert page.evaluate("typeof window.YT") == "undefined"

    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")

    assert traffic.external() == [IFRAME_API]
    assert traffic.offsite == []
    [[_, video_id, player_vars]] = yt_calls(page, "Player")
    assert video_id == "Wo95ob_s_NI"
    assert player_vars["autoplay"] == 1
    assert player_vars["playsinline"] == 1
    expect(page.locator("[data-player-facade]")).to_be_hidden()


def test_when_youtube_cannot_be_reached_the_facade_says_so(episode_page) -> None:
    page = episode_page()
    page.route(IFRAME_API, lambda route: route.abort())

    page.locator("[data-player-facade]").click()

    expect(page.locator("[data-player-note]")).to_contain_text("could not be reached")
    expect(page.locator("[data-player-facade]")).to_be_visible()
    expect(page.locator("[data-player]")).to_have_class(re.compile(r"\bhas-error\b"))


def test_clicking_a_claim_seeks_to_its_first_timestamp(episode_page) -> None:
    page = episode_page()
    claim = claim_with(page, 69)

    claim.locator(".claim-body strong").first.click()

    wait_for_seek(page, 69)
    assert ["seekTo", 69, True] in yt_calls(page, "seekTo")
    assert yt_calls(page, "playVideo")
    expect(claim).to_have_attribute("aria-current", "true")


def test_clicking_a_timestamp_seeks_there_without_leaving_the_page(episode_page) -> None:
    page = episode_page()
    url = page.url
    link = page.locator("a[data-seconds='97']")
    expect(link).to_have_attribute("href", "https://www.youtube.com/watch?v=Wo95ob_s_NI&t=97s")

    link.click()

    wait_for_seek(page, 97)
    assert page.url == url
    assert [call[1] for call in yt_calls(page, "seekTo")] == [97]
    expect(segment_with(page, 97)).to_have_attribute("aria-current", "true")


def test_a_seek_after_the_player_is_ready_seeks_it_directly(episode_page) -> None:
    page = episode_page()
    page.locator("a[data-seconds='69']").click()
    wait_for_seek(page, 69)

    page.locator("a[data-seconds='4851']").click()

    wait_for_seek(page, 4851)
    assert [call[1] for call in yt_calls(page, "seekTo")] == [69, 4851]
    assert len(yt_calls(page, "Player")) == 1


def test_the_reported_time_marks_the_spoken_segment_and_claim_and_scrolls_to_them(
    episode_page,
) -> None:
    page = episode_page()
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")

    page.evaluate("window.__ytSetTime(4860)")

    claim = claim_with(page, 4851)
    segment = segment_with(page, 4851)
    expect(claim).to_have_attribute("aria-current", "true")
    expect(segment).to_have_attribute("aria-current", "true")
    expect(claim).to_be_in_viewport()
    expect(segment).to_be_in_viewport()
    expect(page.locator("[data-claim-id][aria-current='true']")).to_have_count(1)

    page.evaluate("window.__ytSetTime(100)")

    expect(claim_with(page, 97)).to_have_attribute("aria-current", "true")
    expect(segment_with(page, 97)).to_have_attribute("aria-current", "true")
    expect(claim).not_to_have_attribute("aria-current", "true")
    expect(claim_with(page, 97)).to_be_in_viewport()


def test_scrolling_by_hand_pauses_follow_mode_until_back_to_now(episode_page) -> None:
    page = episode_page()
    back = page.get_by_role("button", name="Back to now")
    page.locator("a[data-seconds='4851']").click()
    wait_for_seek(page, 4851)
    page.evaluate("window.__ytSetTime(4860)")
    expect(claim_with(page, 4851)).to_be_in_viewport()
    expect(back).to_be_hidden()

    page.mouse.move(900, 400)
    page.mouse.wheel(0, -6000)

    expect(back).to_be_visible()
    expect(back).to_have_attribute("data-direction", "down")
    page.evaluate("window.__ytSetTime(70)")
    expect(claim_with(page, 69)).to_have_attribute("aria-current", "true")
    page.wait_for_timeout(600)
    expect(claim_with(page, 4851)).not_to_be_in_viewport()
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.__ytSetTime(4860)")
    page.wait_for_timeout(600)
    assert page.evaluate("window.scrollY") == scrolled

    back.click()

    expect(back).to_be_hidden()
    expect(claim_with(page, 4851)).to_be_in_viewport()
    expect(page.locator("[data-follow]")).to_have_attribute("aria-pressed", "true")


def test_follow_toggle_turns_scrolling_along_off_and_on(episode_page) -> None:
    page = episode_page()
    follow = page.locator("[data-follow]")
    page.locator("a[data-seconds='69']").click()
    wait_for_seek(page, 69)

    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false")
    page.evaluate("window.__ytSetTime(4860)")
    expect(claim_with(page, 4851)).to_have_attribute("aria-current", "true")
    page.wait_for_timeout(600)
    expect(claim_with(page, 4851)).not_to_be_in_viewport()

    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(claim_with(page, 4851)).to_be_in_viewport()


def test_t_parameter_marks_that_moment_without_starting_the_player(episode_page) -> None:
    page = episode_page("?t=1m37s")

    expect(claim_with(page, 97)).to_have_attribute("aria-current", "true")
    assert yt_calls(page, "Player") == []
    expect(segment_with(page, 97)).to_have_attribute("aria-current", "true")


def test_keyboard_moves_between_claims_and_enter_seeks(episode_page) -> None:
    page = episode_page()
    objective = claim_with(page, 69)
    outcome = claim_with(page, 83)
    objective.focus()

    page.keyboard.press("j")
    expect(outcome).to_be_focused()
    page.keyboard.press("k")
    expect(objective).to_be_focused()
    page.keyboard.press("k")
    expect(objective).not_to_be_focused()
    page.keyboard.press("j")
    expect(objective).to_be_focused()

    page.keyboard.press("Enter")

    wait_for_seek(page, 69)
    assert yt_calls(page, "seekTo")[0][1:] == [69, True]

    follow = page.locator("[data-follow]")
    page.keyboard.press("f")
    expect(follow).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("f")
    expect(follow).to_have_attribute("aria-pressed", "true")


def test_keys_typed_into_a_field_are_left_alone(episode_page) -> None:
    page = episode_page()
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('afterbegin',"
        " '<input id=probe aria-label=probe>')"
    )
    page.locator("#probe").focus()

    page.keyboard.type("jkf")

    expect(page.locator("#probe")).to_have_value("jkf")
    expect(page.locator("#probe")).to_be_focused()
    expect(page.locator("[data-follow]")).to_have_attribute("aria-pressed", "true")


def test_narrow_screen_has_no_horizontal_scroll(episode_page) -> None:
    page = episode_page()
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_timeout(100)

    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) <= 0

    page.locator("a[data-seconds='4851']").click()
    wait_for_seek(page, 4851)
    assert page.evaluate(overflow) <= 0
    expect(claim_with(page, 4851)).to_be_in_viewport()


def test_episode_list_links_to_the_episode_and_filters_by_channel(
    page, live_server, seed_episode, traffic
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Channel", exact=True).select_option(seed_episode.channel.slug)
    expect(page).to_have_url(f"{live_server.url}/?channel={seed_episode.channel.slug}")

    page.get_by_role("link", name=seed_episode.display_title).click()

    expect(page).to_have_url(live_server.url + seed_episode.get_absolute_url())
    assert traffic.external() == []


@pytest.fixture
def two_article_episode(transactional_db):
    """Two long articles about the same moments, far apart on the page."""
    from tests.episodes.factories import make_article, make_claim, make_episode, make_section

    episode = make_episode(title="Two takes")
    for slug, offset in (("first", 0), ("second", 5)):
        article = make_article(episode, slug=slug, title=f"The {slug} take")
        section = make_section(article, title="Notes")
        make_claim(article, section=section, text=f"{slug} opening", seconds=[10 + offset])
        for i in range(30):
            make_claim(article, section=section, text=f"{slug} filler {i}")
        make_claim(article, section=section, text=f"{slug} closing", seconds=[500 + offset])
    return episode


def test_follow_mode_scrolls_the_article_the_reader_last_used(
    page, live_server, two_article_episode, traffic
) -> None:
    page.goto(live_server.url + two_article_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    first_closing = claim_with(page, 500)
    second_closing = claim_with(page, 505)

    page.locator("a[data-seconds='10']").click()
    wait_for_seek(page, 10)
    page.evaluate("window.__ytSetTime(506)")

    expect(first_closing).to_have_attribute("aria-current", "true")
    expect(second_closing).to_have_attribute("aria-current", "true")
    expect(first_closing).to_be_in_viewport()
    expect(second_closing).not_to_be_in_viewport()

    page.locator("a[data-seconds='15']").click()
    wait_for_seek(page, 15)
    page.evaluate("window.__ytSetTime(507)")

    expect(second_closing).to_be_in_viewport()
    expect(first_closing).not_to_be_in_viewport()

"""Browser tests for the player's controls on the page and their shortcuts: play/pause (Space,
p), back/forward 5 s (arrows; Shift 15 s), slower/faster (< >, shown as 1x, 1.25x ...) and
"copy link to this moment" (c), each checked by the calls the YouTube stand-in recorded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import is_local, yt_calls
from .test_annotations import start_player_at

pytestmark = pytest.mark.e2e


def controls(page):
    return page.locator("[data-player-controls]")


def press_on_page(page, *keys: str) -> None:
    """Press keys with focus on nothing in particular (the page itself)."""
    page.locator("body").click(position={"x": 2, "y": 2})
    for key in keys:
        page.keyboard.press(key)


def wait_for_call(page, name: str, *args) -> None:
    page.wait_for_function(
        "([name, args]) => (window.__ytCalls || []).some((c) => c[0] === name"
        " && JSON.stringify(c.slice(1, 1 + args.length)) === JSON.stringify(args))",
        arg=[name, list(args)],
    )


def test_buttons_play_pause_skip_and_change_speed_through_the_iframe_api(episode_page) -> None:
    page = episode_page()
    toggle = controls(page).get_by_role("button", name="Play", exact=True)
    expect(toggle).to_be_visible()
    assert yt_calls(page, "Player") == []

    toggle.click()
    wait_for_call(page, "playVideo")
    expect(controls(page).locator("[data-player-toggle]")).to_have_text("Pause")
    page.evaluate("window.__ytSetTime(100)")

    controls(page).get_by_role("button", name="Forward 5 seconds").click()
    wait_for_call(page, "seekTo", 105, True)
    controls(page).get_by_role("button", name="Back 5 seconds").click(modifiers=["Shift"])
    wait_for_call(page, "seekTo", 90, True)

    controls(page).get_by_role("button", name="Pause", exact=True).click()
    wait_for_call(page, "pauseVideo")
    expect(controls(page).locator("[data-player-toggle]")).to_have_text("Play")
    plays = len(yt_calls(page, "playVideo"))
    # A skip while paused moves the video but leaves it paused.
    controls(page).get_by_role("button", name="Back 5 seconds").click()
    wait_for_call(page, "seekTo", 85, True)
    assert len(yt_calls(page, "playVideo")) == plays

    rate = controls(page).locator("[data-player-rate-text]")
    expect(rate).to_have_text("1x")
    controls(page).get_by_role("button", name="Faster").click()
    expect(rate).to_have_text("1.25x")
    for _ in range(3):
        controls(page).get_by_role("button", name="Slower").click()
    expect(rate).to_have_text("0.5x")
    assert [call[1] for call in yt_calls(page, "setPlaybackRate")] == [1.25, 1, 0.75, 0.5]


def test_shortcuts_drive_the_player_and_are_listed_in_the_keyboard_help(episode_page) -> None:
    page = episode_page()

    press_on_page(page, "Space")
    wait_for_call(page, "playVideo")
    page.evaluate("window.__ytSetTime(100)")
    page.keyboard.press("ArrowRight")
    wait_for_call(page, "seekTo", 105, True)
    page.keyboard.press("Shift+ArrowLeft")
    wait_for_call(page, "seekTo", 90, True)
    page.keyboard.press("Shift+ArrowRight")
    wait_for_call(page, "seekTo", 105, True)
    page.keyboard.press("ArrowLeft")
    wait_for_call(page, "seekTo", 100, True)
    page.keyboard.press(">")
    page.keyboard.press(">")
    page.keyboard.press("<")
    expect(controls(page).locator("[data-player-rate-text]")).to_have_text("1.25x")
    page.keyboard.press("p")
    wait_for_call(page, "pauseVideo")
    page.keyboard.press("Space")

    seeks = [call[1] for call in yt_calls(page, "seekTo")]
    assert seeks == [105, 90, 105, 100]
    assert [call[1] for call in yt_calls(page, "setPlaybackRate")] == [1.25, 1.5, 1.25]
    assert len(yt_calls(page, "pauseVideo")) == 1
    assert len(yt_calls(page, "playVideo")) == 2
    expect(controls(page).locator("[data-player-toggle]")).to_have_text("Pause")

    page.keyboard.press("?")
    help_list = page.locator("[data-shortcuts] dl")
    expect(help_list).to_be_visible()
    for words in ["play / pause", "back / forward 5 seconds", "slower / faster", "copy a link"]:
        expect(help_list).to_contain_text(words)
    for key in ["Space", "p", "←", "→", "Shift", "<", ">", "c"]:
        expect(help_list.locator("kbd", has_text=key).first).to_be_visible()


def test_space_on_a_button_presses_the_button_not_the_player(episode_page) -> None:
    page = episode_page()
    follow = page.locator("[data-follow]")
    follow.focus()

    page.keyboard.press("Space")

    expect(follow).to_have_attribute("aria-pressed", "false")
    assert yt_calls(page, "playVideo") == []
    assert yt_calls(page, "Player") == []


def test_player_shortcuts_are_text_while_typing_in_a_field(episode_page) -> None:
    page = episode_page()
    start_player_at(page, 100)
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('afterbegin',"
        " '<input id=probe aria-label=probe>')"
    )
    before = page.evaluate("window.__ytCalls.length")
    probe = page.locator("#probe")
    probe.click()

    probe.press_sequentially("p c <> ")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowRight")

    expect(probe).to_have_value("p c <> ")
    calls = page.evaluate("(n) => window.__ytCalls.slice(n)", before)
    commands = {"seekTo", "playVideo", "pauseVideo", "setPlaybackRate"}
    assert [call for call in calls if call[0] in commands] == []
    expect(page.locator("[data-player-copied]")).to_have_text("")


def test_speed_chosen_before_playing_asks_nothing_of_youtube_until_play(
    episode_page, traffic
) -> None:
    page = episode_page()

    press_on_page(page, ">", ">")

    expect(controls(page).locator("[data-player-rate-text]")).to_have_text("1.5x")
    assert traffic.external() == []
    controls(page).get_by_role("button", name="Play", exact=True).click()
    wait_for_call(page, "setPlaybackRate", 1.5)
    commands = {"seekTo", "playVideo", "pauseVideo", "setPlaybackRate"}
    calls = [call for call in page.evaluate("window.__ytCalls") if call[0] in commands]
    assert calls == [["setPlaybackRate", 1.5], ["playVideo"]]


def test_copy_link_puts_this_moment_on_the_clipboard_and_says_so(
    episode_page, live_server, seed_episode
) -> None:
    page = episode_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    start_player_at(page, 125)
    link = f"{live_server.url}{seed_episode.get_absolute_url()}?t=125"

    press_on_page(page, "c")

    expect(page.locator("[data-player-copied]")).to_have_text(f"Link copied: {link}")
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.locator("[data-player-copy-field]")).to_be_hidden()

    page.evaluate("window.__ytSetTime(3723)")
    controls(page).get_by_role("button", name="Copy link to this moment").click()
    assert page.evaluate("navigator.clipboard.readText()") == link.replace("125", "3723")


def test_copy_link_without_a_clipboard_shows_the_link_to_copy(
    episode_page, live_server, seed_episode
) -> None:
    page = episode_page("?t=97")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', { value: undefined })")

    controls(page).get_by_role("button", name="Copy link to this moment").click()

    field = page.get_by_label("Copy this link")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value(f"{live_server.url}{seed_episode.get_absolute_url()}?t=97")
    selected = "document.activeElement.selectionEnd - document.activeElement.selectionStart"
    assert page.evaluate(selected) == len(field.input_value())
    # Copying asked nothing of YouTube.
    assert yt_calls(page, "Player") == []


def test_without_javascript_the_player_controls_are_not_shown(
    browser, live_server, seed_episode
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        "**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort()
    )
    page.goto(f"{live_server.url}{seed_episode.get_absolute_url()}")

    expect(page.locator("[data-player-controls]")).to_be_hidden()
    expect(page.get_by_role("button", name="Copy link to this moment")).to_have_count(0)
    expect(page.locator("[data-player-facade]")).to_be_visible()
    context.close()


def test_space_for_play_pause_is_not_taken_for_a_scroll_that_pauses_follow_along(
    episode_page,
) -> None:
    page = episode_page()
    start_player_at(page, 100)
    page.wait_for_function("() => window.Seeknotes.follower.time !== null")

    press_on_page(page, "Space")
    wait_for_call(page, "pauseVideo")
    press_on_page(page, "p")

    assert page.evaluate("window.Seeknotes.follower.paused") is False
    expect(page.locator("[data-follow]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-back-to-now]")).to_be_hidden()


def test_a_speed_chosen_in_youtubes_own_menu_shows_and_steps_from_there(episode_page) -> None:
    page = episode_page()
    start_player_at(page, 10)

    # What YouTube's gear menu does: the player changes speed and says so.
    page.evaluate("window.Seeknotes.player.yt.setPlaybackRate(2)")

    rate = controls(page).locator("[data-player-rate-text]")
    expect(rate).to_have_text("2x")
    press_on_page(page, "<")
    expect(rate).to_have_text("1.75x")
    assert [call[1] for call in yt_calls(page, "setPlaybackRate")] == [2, 1.75]

"""Browser tests: `/` goes to the search box on every page that shows one, `Esc` leaves it, and
neither is taken from someone typing in a field."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


def pages_with_a_search_box(seed_episode) -> dict[str, str]:
    return {
        "home": "/",
        "channel": seed_episode.channel.get_absolute_url(),
        "search": "/search/?q=imitation",
        "notes": "/notes/",
        "episode": seed_episode.get_absolute_url(),
    }


def test_slash_focuses_the_search_box_and_esc_leaves_it_on_every_page(
    page, live_server, seed_episode, traffic
) -> None:
    make_user("ada")
    sign_in(page, live_server, "ada", "/notes/")
    for name, path in pages_with_a_search_box(seed_episode).items():
        page.goto(f"{live_server.url}{path}")
        box = page.locator("[data-search-input]")
        expect(box).to_have_count(1)
        page.locator("body").click(position={"x": 2, "y": 2})
        expect(box, name).not_to_be_focused()

        page.keyboard.press("/")
        expect(box, name).to_be_focused()
        page.keyboard.type("post-training")
        expect(box, name).to_have_value("post-training")

        page.keyboard.press("Escape")
        expect(box, name).not_to_be_focused()
        expect(box, name).to_have_value("post-training")
        assert page.evaluate("document.activeElement === document.body"), name


def test_slash_typed_into_a_field_stays_in_the_field(page, live_server, seed_episode) -> None:
    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.keyboard.press("n")
    body = page.locator("[data-note-now-form] textarea")
    expect(body).to_be_focused()

    page.keyboard.type("either/or")

    expect(body).to_have_value("either/or")
    expect(body).to_be_focused()
    expect(page.locator("[data-search-input]")).to_have_value("")


def test_keyboard_help_lists_search_and_the_note_keys(episode_page) -> None:
    page = episode_page()
    page.keyboard.press("?")
    help_list = page.locator("[data-shortcuts] dl")
    expect(help_list).to_be_visible()
    keys = dict(
        zip(
            help_list.locator("dt").all_inner_texts(),
            help_list.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert keys["/"] == "search"
    assert keys["Esc"] == "cancel the note; leave the search box"
    assert keys["Ctrl Enter"] == "save the note (⌘ Enter on a Mac)"

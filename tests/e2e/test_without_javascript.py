"""Without JavaScript, no control that needs it is shown; with it, each is shown and works."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import make_user

from .conftest import is_local
from .test_annotations import sign_in

pytestmark = pytest.mark.e2e

NEEDS_JS = ["[data-follow]", "[data-shortcuts]", "[data-note-now] summary kbd"]
PAGES = [
    "/",
    "/channels/dwarkesh/",
    "/search/?q=training",
    "/notes/",
    "/notes/import/",
    "/accounts/tokens/",
]


@pytest.fixture
def no_js_page(browser, live_server, seed_episode):
    """A page in a browser context with JavaScript off, signed in as ada."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        "**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort()
    )
    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    yield page
    context.close()


def test_without_javascript_the_episode_page_shows_no_control_that_needs_it(no_js_page) -> None:
    page = no_js_page

    for selector in NEEDS_JS:
        expect(page.locator(selector)).to_be_hidden()
    expect(page.get_by_role("button", name="Follow along")).to_have_count(0)
    expect(page.get_by_text("Keyboard", exact=True)).to_be_hidden()
    expect(page.locator(".player-tools")).to_be_hidden()
    expect(page.get_by_role("button", name="Back to now")).to_have_count(0)
    # What works without it stays: the facade links to YouTube, the note form posts.
    expect(page.locator("[data-player-facade]")).to_be_visible()
    page.locator("[data-note-now] summary").click()
    expect(page.locator("[data-note-now-form]")).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_without_javascript_no_page_shows_a_script_button(no_js_page, live_server, path) -> None:
    page = no_js_page
    page.goto(f"{live_server.url}{path}")

    assert page.locator("main, header").first.is_visible()
    shown = [
        button.inner_text()
        for button in page.locator("button[type='button'], [data-needs-js]").all()
        if button.is_visible()
    ]
    assert shown == []


def test_with_javascript_each_control_is_shown_and_works(page, live_server, seed_episode, traffic):
    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")

    for selector in NEEDS_JS:
        expect(page.locator(selector)).to_be_visible()

    follow = page.get_by_role("button", name="Follow along")
    expect(follow).to_have_attribute("aria-pressed", "true")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false")

    page.get_by_text("Keyboard", exact=True).click()
    expect(page.locator("[data-shortcuts] dl")).to_be_visible()
    expect(page.locator("[data-shortcuts] dl")).to_contain_text("follow along on / off")

    page.locator("[data-note-now] summary").click()
    expect(page.locator("[data-note-now-form]")).to_be_visible()

"""In the browser: signing up from a moment of an episode comes back to that moment, welcomed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_sign_up_from_a_moment_lands_back_on_it_signed_in_with_a_welcome(
    episode_page, live_server, seed_episode
) -> None:
    moment = f"{seed_episode.get_absolute_url()}?t=754"
    page = episode_page("?t=754")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ada")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign up").click()

    assert page.url == f"{live_server.url}{moment}"
    page.wait_for_function("() => window.Seeknotes !== undefined")
    expect(page.locator("ul.messages[role=status]")).to_have_text(
        "Welcome to Seeknotes, ada. You are signed in."
    )
    expect(page.locator("[data-account-name]")).to_have_text("ada")

"""Browser tests: the player keeps its 16:9 size at its column's width whatever opens below it
(the "note at this moment" form, the exports, the keyboard help), on a wide and a phone-sized
screen, in light and dark schemes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e

SCREENS = [{"width": 1280, "height": 800}, {"width": 375, "height": 800}]
SCHEMES = ["light", "dark"]


def player_box(page) -> dict:
    box = page.locator("[data-player]").bounding_box()
    return {"width": round(box["width"], 1), "height": round(box["height"], 1)}


def column_width(page) -> float:
    """The width the player may take: its column's content box."""
    return page.evaluate(
        """() => {
          const player = document.querySelector("[data-player]");
          const column = player.parentElement;
          const style = getComputedStyle(column);
          if (style.display === "contents") {
            return column.parentElement.getBoundingClientRect().width;
          }
          return column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        }"""
    )


def open_each_panel(page):
    """Opens each panel under the player in turn, then all at once, yielding its name."""
    panels = {
        "note at this moment (n)": lambda: page.keyboard.press("n"),
        "note at this moment (click)": lambda: page.locator("[data-note-now] > summary").click(),
        "export": lambda: page.locator("[data-exports] > summary").click(),
        "keyboard help": lambda: page.locator("[data-shortcuts] > summary").click(),
    }
    for name, open_panel in panels.items():
        page.evaluate(
            "document.querySelectorAll('.episode-media details').forEach((d) => d.open = false)"
        )
        page.locator("body").click(position={"x": 2, "y": 2})
        open_panel()
        yield name
    page.evaluate(
        "document.querySelectorAll('.episode-media details').forEach((d) => d.open = true)"
    )
    yield "all of them"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: f"{screen['width']}px")
def test_the_player_keeps_its_size_whatever_opens_below_it(
    page, live_server, seed_episode, traffic, screen, scheme
) -> None:
    make_user("ada")
    page.set_viewport_size(screen)
    page.emulate_media(color_scheme=scheme)
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")

    before = player_box(page)
    assert before["width"] == pytest.approx(column_width(page), abs=1)
    assert before["height"] == pytest.approx(before["width"] * 9 / 16, abs=1)

    opened = []
    for panel in open_each_panel(page):
        opened.append(panel)
        assert (panel, player_box(page)) == (panel, before)
    assert len(opened) == 5
    expect(page.locator(".episode-media details[open]")).to_have_count(3)


def test_the_player_stays_in_view_above_an_open_note_form_on_a_wide_screen(
    page, live_server, seed_episode, traffic
) -> None:
    make_user("ada")
    page.set_viewport_size(SCREENS[0])
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.evaluate(
        "document.querySelectorAll('.episode-media details').forEach((d) => d.open = true)"
    )
    page.keyboard.press("n")

    body = page.locator("[data-note-now-form] textarea")
    expect(body).to_be_focused()
    expect(body).to_be_in_viewport()
    player = page.locator("[data-player]").bounding_box()
    field = body.bounding_box()
    assert player["y"] >= 0
    assert field["y"] >= player["y"] + player["height"]

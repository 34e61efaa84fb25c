"""Browser tests: the timeline on a phone and a wide screen. Its marks are 24 x 24 px targets
where the nearest mark wins, its labels are whole words with or without JavaScript, its tip
leaves the controls under it in sight, and the episode's length shows once the player knows it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user

from .test_timeline import start_playing

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 800}
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"

# Each span's label as drawn: its title, its text, the room in its rectangle and the text's width.
LABELS = """() => [...document.querySelectorAll(".tl-span")].map((span) => {
  const text = span.querySelector("text");
  const shown = getComputedStyle(text).display !== "none";
  return {
    title: span.dataset.title,
    text: shown ? text.textContent : "",
    room: span.querySelector("rect").getBoundingClientRect().width,
    width: shown && text.textContent ? text.getComputedTextLength() : 0,
  };
})"""


def assert_labels_are_whole_words_that_fit(labels: list[dict]) -> None:
    assert labels
    for label in labels:
        text, title = label["text"], label["title"]
        if text and text != title:
            words = text.removesuffix(ELLIPSIS).split()
            assert text.endswith(ELLIPSIS) and title.split()[: len(words)] == words, label
        if text:
            assert label["width"] <= label["room"] - 4, label


@pytest.fixture
def public_note(seed_episode):
    claim = Claim.objects.filter(article__episode=seed_episode).order_by("pk").first()
    return make_annotation(
        make_user("grace"),
        claim=claim,
        seconds=69,
        body="Worth a second look",
        visibility=Annotation.Visibility.PUBLIC,
    )


@pytest.mark.parametrize("screen", [PHONE, WIDE], ids=["375px", "1280px"])
def test_every_tick_and_note_is_a_24_px_target_and_the_nearest_wins(
    episode_page, public_note, screen
) -> None:
    page = episode_page()
    page.set_viewport_size(screen)
    marks = page.locator(".tl-claim, .tl-note")
    assert marks.count() == 43
    boxes = marks.evaluate_all(
        "(marks) => marks.map((m) => [m.getBoundingClientRect().width,"
        " m.getBoundingClientRect().height])"
    )
    assert min(round(width, 2) for width, _ in boxes) >= 24
    assert min(round(height, 2) for _, height in boxes) >= 24

    # Pointing at any tick's line names that tick's claim (or one at the same moment), even
    # where a neighbour's target overlaps it.
    tip = page.locator("[data-timeline-tip] strong")
    ticks = page.locator(".tl-claim")
    pointed = page.locator(".tl-mark[data-pointed]")
    for index in range(ticks.count()):
        tick = ticks.nth(index)
        label = tick.get_attribute("aria-label").split(": ")[0]
        line = tick.locator("use").bounding_box()
        page.mouse.move(line["x"] + line["width"] / 2, line["y"] + 12)
        expect(tip).to_have_text(label)
        # And that tick is the one highlighted, whichever target is drawn on top.
        expect(pointed).to_have_attribute("aria-label", re.compile("^" + re.escape(label)))


@pytest.mark.parametrize("screen", [PHONE, WIDE], ids=["375px", "1280px"])
def test_the_tip_leaves_follow_along_in_sight(episode_page, screen) -> None:
    page = episode_page()
    page.set_viewport_size(screen)
    follow = page.locator("[data-follow]")
    expect(follow).to_be_visible()
    tip = page.locator("[data-timeline-tip]")

    for mark in (page.locator(".tl-claim").last, page.locator(".tl-span").last):
        box = mark.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(tip).to_be_visible()
        tip_box, follow_box = tip.bounding_box(), follow.bounding_box()
        apart = (
            tip_box["y"] + tip_box["height"] <= follow_box["y"]
            or follow_box["y"] + follow_box["height"] <= tip_box["y"]
        )
        assert apart, (tip_box, follow_box)


@pytest.mark.parametrize("screen", [PHONE, WIDE], ids=["375px", "1280px"])
def test_labels_are_whole_words_that_fit_their_spans(episode_page, screen) -> None:
    page = episode_page()
    page.set_viewport_size(screen)
    page.wait_for_timeout(100)  # the labels are fitted again when the drawing is resized

    labels = page.evaluate(LABELS)

    assert_labels_are_whole_words_that_fit(labels)
    # A phone's narrow spans cut their labels; a wide screen has room for whole titles.
    if screen is PHONE:
        assert any(label["text"].endswith(ELLIPSIS) for label in labels)
    else:
        assert any(label["text"] == label["title"] for label in labels)


@pytest.mark.parametrize("screen", [PHONE, WIDE], ids=["375px", "1280px"])
def test_without_javascript_labels_are_whole_words_that_fit_their_spans(
    browser, live_server, seed_episode, screen
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=screen)
    page = context.new_page()
    page.goto(live_server.url + seed_episode.get_absolute_url())

    labels = page.evaluate(LABELS)

    assert_labels_are_whole_words_that_fit(labels)
    assert any(label["text"] for label in labels)
    context.close()


def test_the_axis_and_header_show_the_length_once_the_player_knows_it(episode_page) -> None:
    page = episode_page()
    axis_end = page.locator(".tl-axis text").last
    length = page.locator("[data-episode-length]")
    # Unknown yet: the drawing ends after the last moment, and says it is an estimate.
    expect(axis_end).to_have_text("\N{ALMOST EQUAL TO}1:36:57")
    expect(length).to_be_hidden()

    start_playing(page)
    page.evaluate("window.__ytSetDuration(7000)")
    page.evaluate("window.__ytSetTime(60)")

    expect(axis_end).to_have_text("1:56:40")
    expect(length).to_be_visible()
    expect(length).to_have_text("· Length 1:56:40")

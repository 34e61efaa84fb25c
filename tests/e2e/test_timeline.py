"""The timeline under the player and the articles' contents list, on the seed's episode."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation

from .conftest import yt_calls

pytestmark = pytest.mark.e2e

# Where a mark is drawn, as pixels from the left edge of the timeline's own drawing.
MARK_CENTRES = """(selector) => {
  const box = document.querySelector(".timeline-map").getBoundingClientRect();
  return Object.fromEntries([...document.querySelectorAll(selector)].map((mark) => {
    const rect = mark.getBoundingClientRect();
    return [mark.dataset.claim, rect.left + rect.width / 2 - box.left];
  }));
}"""
SPAN_STARTS = """() => {
  const box = document.querySelector(".timeline-map").getBoundingClientRect();
  return [...document.querySelectorAll(".tl-span")].map((span) => [
    // The span's rectangle: its label may run on past it, clipped.
    span.dataset.section,
    Number(span.dataset.at),
    span.querySelector("rect").getBoundingClientRect().left - box.left,
  ]);
}"""
PLAYHEAD_X = """() => {
  const box = document.querySelector(".timeline-map").getBoundingClientRect();
  const rect = document.querySelector("[data-playhead] line").getBoundingClientRect();
  return rect.left + rect.width / 2 - box.left;
}"""


def timeline_width(page) -> float:
    return page.evaluate("document.querySelector('.timeline-map').getBoundingClientRect().width")


def first_seconds(episode) -> dict[str, int]:
    """Each timed claim's first timestamp, by claim id: where its tick belongs."""
    firsts: dict[str, int] = {}
    for claim in episode.articles.get().claims.prefetch_related("timestamps"):
        seconds = [timestamp.seconds for timestamp in claim.timestamps.all()]
        if seconds:
            firsts[str(claim.pk)] = seconds[0]
    return firsts


def section_starts(episode) -> dict[str, int]:
    """The earliest moment of each section with timed claims in it (or in its subsections)."""
    sections = {section.pk: section for section in episode.articles.get().sections.all()}
    starts: dict[str, int] = {}
    for claim in episode.articles.get().claims.prefetch_related("timestamps"):
        seconds = [timestamp.seconds for timestamp in claim.timestamps.all()]
        section = sections.get(claim.section_id)
        while seconds and section is not None:
            starts[str(section.pk)] = min(starts.get(str(section.pk), seconds[0]), *seconds)
            section = sections.get(section.parent_id)
    return starts


def start_playing(page) -> None:
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")


@pytest.mark.parametrize("width", [1280, 320])
def test_every_section_and_claim_has_a_mark_where_its_time_falls(
    episode_page, seed_episode, width
) -> None:
    page = episode_page()
    page.set_viewport_size({"width": width, "height": 800})
    timeline = page.locator("[data-timeline]")
    expect(timeline).to_be_visible()
    # No duration is stored for the seed: its last timestamp (1:35:03) plus 2%.
    duration = 5703 + 114
    assert timeline.get_attribute("data-duration") == str(duration)
    pixels = timeline_width(page)
    assert pixels <= width

    firsts = first_seconds(seed_episode)
    ticks = page.evaluate(MARK_CENTRES, ".tl-claim")
    assert len(firsts) == 42
    assert ticks.keys() == firsts.keys()
    for claim_id, seconds in firsts.items():
        assert ticks[claim_id] == pytest.approx(seconds / duration * pixels, abs=1), claim_id

    starts = section_starts(seed_episode)
    spans = page.evaluate(SPAN_STARTS)
    # All 19 sections but the untitled introduction and the conclusion, which have no time.
    assert len(starts) == 17
    assert {section for section, _, _ in spans} == starts.keys()
    for section, seconds in starts.items():
        first_at, first_left = min((at, left) for s, at, left in spans if s == section)
        assert first_at == seconds
        assert first_left == pytest.approx(seconds / duration * pixels, abs=1), section
    for _, seconds, left in spans:
        assert left == pytest.approx(seconds / duration * pixels, abs=1)


def test_clicking_a_tick_seeks_the_player_to_its_claim(episode_page, seed_episode) -> None:
    page = episode_page()
    url = page.url
    # The tick farthest from its neighbours, so nothing else lies under the pointer.
    firsts = sorted(set(first_seconds(seed_episode).values()))
    gaps = {s: min(abs(s - other) for other in firsts if other != s) for s in firsts}
    seconds = max(gaps, key=gaps.get)
    [claim_id] = [c for c, s in first_seconds(seed_episode).items() if s == seconds][:1]

    page.locator(f".tl-claim[data-claim='{claim_id}']").click()

    page.wait_for_function(
        "(s) => (window.__ytCalls || []).some((c) => c[0] === 'seekTo' && c[1] === s)",
        arg=seconds,
    )
    assert [call[1:] for call in yt_calls(page, "seekTo")] == [[seconds, True]]
    assert page.url == url
    expect(page.locator(f"[data-claim-id='{claim_id}']")).to_have_attribute("aria-current", "true")
    expect(page.locator(f".tl-claim[data-claim='{claim_id}']")).to_have_class(
        "tl-mark tl-claim is-current"
    )


def playhead_display(page) -> str:
    # Not to_be_visible(): a vertical line has no width, which Playwright counts as hidden.
    return page.evaluate("getComputedStyle(document.querySelector('[data-playhead]')).display")


def test_the_playhead_follows_the_players_time(episode_page) -> None:
    page = episode_page()
    assert playhead_display(page) == "none"
    start_playing(page)
    duration = 5817

    for seconds in (3000, 3001, 120):
        page.evaluate("(s) => window.__ytSetTime(s)", seconds)
        expected = seconds / duration * timeline_width(page)
        page.wait_for_function(
            f"(x) => Math.abs(({PLAYHEAD_X})() - x) <= 1", arg=expected, timeout=3000
        )

    assert playhead_display(page) != "none"


def test_marks_move_to_the_duration_the_player_reports(episode_page, seed_episode) -> None:
    page = episode_page()
    start_playing(page)
    page.evaluate("window.__ytSetDuration(7000)")

    page.evaluate("window.__ytSetTime(60)")

    timeline = page.locator("[data-timeline]")
    expect(timeline).to_have_attribute("data-duration", "7000")
    pixels = timeline_width(page)
    ticks = page.evaluate(MARK_CENTRES, ".tl-claim")
    for claim_id, seconds in first_seconds(seed_episode).items():
        assert ticks[claim_id] == pytest.approx(seconds / 7000 * pixels, abs=1)
    expect(timeline.locator(".tl-axis text").last).to_have_text("1:56:40")


def test_hover_and_focus_show_the_mark_and_keys_walk_the_marks(episode_page) -> None:
    page = episode_page()
    tip = page.locator("[data-timeline-tip]")
    ticks = page.locator(".tl-claim")
    expect(tip).to_be_hidden()

    page.locator(".tl-span:not(.tl-chapter) rect").first.hover()
    expect(tip).to_be_visible()
    expect(tip.locator("strong")).to_have_text("Section from 1:09 to 2:08")
    expect(tip).to_contain_text(
        "Post-training \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Pre-training"
    )

    # One Tab stop for the whole timeline: the facade, then a single mark.
    page.locator("[data-player-facade]").focus()
    page.keyboard.press("Tab")
    focused = page.locator(".tl-mark:focus")
    expect(focused).to_have_class(re.compile(r"\btl-chapter\b"))
    expect(focused).to_have_attribute("data-at", "69")
    assert page.locator(".tl-mark[tabindex='0']").count() == 1
    page.keyboard.press("ArrowDown")
    expect(focused).to_have_class(re.compile(r"^(?!.*tl-chapter).*\btl-span\b"))
    expect(focused).to_have_attribute("aria-label", re.compile(r": .* \u203a Pre-training \("))
    page.keyboard.press("ArrowDown")
    expect(focused).to_have_class("tl-mark tl-claim")
    expect(focused).to_have_attribute("data-at", "69")
    expect(tip).to_contain_text("Claim at 1:09")
    page.keyboard.press("ArrowRight")
    expect(focused).to_have_attribute("data-at", "83")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(focused).to_have_attribute("data-at", "83")

    page.keyboard.press("End")
    last = ticks.evaluate_all("(ts) => Math.max(...ts.map((t) => Number(t.dataset.at)))")
    expect(focused).to_have_attribute("data-at", str(last))
    page.keyboard.press("Enter")

    page.wait_for_function(
        "(s) => (window.__ytCalls || []).some((c) => c[0] === 'seekTo' && c[1] === s)", arg=last
    )
    expect(page.locator("[data-follow]")).to_have_attribute("aria-pressed", "true")


def test_without_javascript_marks_are_links_to_their_moment(
    browser, live_server, seed_episode
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + seed_episode.get_absolute_url())

    expect(page.locator(".timeline-map")).to_be_visible()
    tick = page.locator(".tl-claim").first
    href = tick.get_attribute("href")
    assert href.startswith(f"?t={tick.get_attribute('data-at')}#c")
    assert page.locator(".tl-mark[tabindex]").count() == 0
    context.close()


def test_sections_are_coloured_in_both_schemes(episode_page) -> None:
    page = episode_page()
    colours = """() => ({
      fills: [...new Set([...document.querySelectorAll(".tl-span rect")]
        .map((rect) => getComputedStyle(rect).fill))],
      text: getComputedStyle(document.querySelector(".tl-span text")).fill,
      tick: getComputedStyle(document.querySelector(".tl-claim")).stroke,
    })"""

    page.emulate_media(color_scheme="light")
    light = page.evaluate(colours)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(colours)

    assert len(light["fills"]) == len(dark["fills"]) == 6
    assert set(light["fills"]).isdisjoint(dark["fills"])
    assert light["text"] != dark["text"]
    assert light["tick"] != dark["tick"]
    assert light["text"] not in light["fills"] and dark["text"] not in dark["fills"]


def test_contents_list_marks_the_article_being_spoken(episode_page) -> None:
    page = episode_page()
    entry = page.locator("[data-contents] a[data-contents-for]")
    expect(entry).to_have_count(1)
    expect(page.locator("[data-contents]")).to_contain_text("61 claims")
    expect(page.locator("[data-contents]")).to_contain_text("1:09\N{EN DASH}1:35:03")
    expect(entry).not_to_have_attribute("aria-current", "true")
    start_playing(page)

    page.evaluate("window.__ytSetTime(100)")

    expect(entry).to_have_attribute("aria-current", "true")


@pytest.fixture
def two_timed_articles(transactional_db):
    """Two articles of one episode, the first about the opening minutes, the second later."""
    from tests.episodes.factories import make_article, make_claim, make_episode, make_section

    episode = make_episode(title="Two halves")
    for slug, moments in (("opening", (10, 100)), ("closing", (200, 300))):
        article = make_article(episode, slug=slug, title=f"The {slug}")
        section = make_section(article, title=f"{slug} notes")
        for seconds in moments:
            make_claim(article, section=section, text=f"{slug} at {seconds}", seconds=[seconds])
    return episode


def test_contents_list_follows_the_article_the_reader_plays(
    page, live_server, two_timed_articles, traffic
) -> None:
    page.goto(live_server.url + two_timed_articles.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    opening = page.locator("[data-contents-for='opening']")
    closing = page.locator("[data-contents-for='closing']")
    expect(page.locator(".tl-lane")).to_have_count(2)

    page.locator(".tl-claim[data-at='200']").click()

    expect(closing).to_have_attribute("aria-current", "true")
    expect(opening).not_to_have_attribute("aria-current", "true")

    page.locator(".tl-claim[data-at='10']").click()

    expect(opening).to_have_attribute("aria-current", "true")
    expect(closing).not_to_have_attribute("aria-current", "true")


NOTE_MARKS = """() => [...document.querySelectorAll(".tl-notes .tl-note")].map((mark) => [
  mark.dataset.note, mark.dataset.at, mark.getAttribute("aria-label"), mark.getAttribute("href"),
])"""


def write_note_now(page, seconds: int, words: str) -> None:
    """Write a note at `seconds` of the playing video with `n`, as a reader does."""
    page.evaluate(f"window.__ytSetTime({seconds})")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    page.keyboard.type(words)
    page.locator("[data-note-now-form]").get_by_role("button", name="Save note").click()


def ada_on_the_episode(page, live_server, seed_episode) -> None:
    """Ada, a new account, signed in on the seed's episode page with its script running."""
    from tests.annotations.factories import make_user

    from .test_annotations import sign_in

    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")


def test_the_readers_notes_appear_on_the_timeline_as_they_are_written_and_deleted(
    page, live_server, seed_episode, traffic
) -> None:
    from .test_annotations import start_player_at

    ada_on_the_episode(page, live_server, seed_episode)
    page.evaluate("window.__sameDocument = true")
    mine = page.locator(".tl-note--mine")
    expect(mine).to_have_count(0)
    lanes = page.locator("[data-lane]").count()
    ticks = page.locator(".tl-claim").count()
    drawn = page.locator("[data-timeline]").get_attribute("data-lanes")

    start_player_at(page, 125)
    write_note_now(page, 125, "A note the timeline must show.")

    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-at", "125")
    expect(mine).to_have_attribute("aria-label", re.compile(r"A note the timeline must show"))
    # The answer brought the timeline, without the lanes the page had drawn; it kept its own,
    # and never asked for the timeline again.
    assert [url for url in traffic.requested if "/timeline/" in url] == []
    assert page.locator("[data-timeline]").get_attribute("data-lanes") == drawn
    expect(page.locator("[data-lane]")).to_have_count(lanes)
    expect(page.locator(".tl-claim")).to_have_count(ticks)
    assert page.locator("[data-timeline]").get_attribute("data-lanes-kept") is None
    # The redrawn timeline still follows the player, and its marks still seek it.
    page.evaluate("window.__ytSetTime(300)")
    expect(page.locator("[data-playhead]")).to_have_attribute("data-seconds", "300")
    mine.click()
    assert yt_calls(page, "seekTo")[-1][1] == 125
    # The lanes it kept are wired to the new drawing: a tick still seeks.
    tick = page.locator(".tl-claim").nth(1)
    tick.dispatch_event("click")
    assert yt_calls(page, "seekTo")[-1][1] == int(tick.get_attribute("data-at"))

    note = page.locator("[data-annotation-id]")
    page.once("dialog", lambda dialog: dialog.accept())
    note.get_by_role("button", name="Delete").click()
    expect(note).to_have_count(0)
    expect(mine).to_have_count(0)
    expect(page.locator("[data-lane]")).to_have_count(lanes)
    assert [url for url in traffic.requested if "/timeline/" in url] == []
    assert page.evaluate("window.__sameDocument") is True
    assert traffic.offsite == []


def test_a_note_written_beside_others_comes_as_its_mark_alone_in_time_order(
    page, live_server, seed_episode, traffic
) -> None:
    from .test_annotations import start_player_at

    ada_on_the_episode(page, live_server, seed_episode)
    page.evaluate("window.__sameDocument = true")
    mine = page.locator(".tl-note--mine")
    start_player_at(page, 125)
    write_note_now(page, 125, "The first note, which brings the row of notes.")
    expect(mine).to_have_count(1)
    page.evaluate("window.Seeknotes.timeline.drawnBefore = true")
    # The player knows the video's length now: the page draws the marks for it.
    page.evaluate("window.__ytSetDuration(7000)")
    page.evaluate("window.__ytSetTime(126)")
    expect(page.locator("[data-timeline]")).to_have_attribute("data-duration", "7000")

    write_note_now(page, 75, "An earlier note, put before the first.")

    expect(mine).to_have_count(2)
    # On the claim spoken then: a note on no claim would bring the whole timeline.
    earlier = Annotation.objects.get(body="An earlier note, put before the first.")
    assert (earlier.seconds, earlier.claim.label) == (75, "Objective")
    marks = page.evaluate(NOTE_MARKS)
    assert [at for _, at, _, _ in marks] == ["75", "125"]
    assert "An earlier note, put before the first" in marks[0][2]
    # Only the mark came: no timeline asked for, the same drawing running it.
    assert [url for url in traffic.requested if "/timeline/" in url] == []
    assert page.evaluate("window.Seeknotes.timeline.drawnBefore") is True
    new_mark = mine.first
    expect(new_mark).to_have_attribute("tabindex", "-1")
    pixels = timeline_width(page)
    centres = page.evaluate(
        """() => {
          const box = document.querySelector(".timeline-map").getBoundingClientRect();
          return [...document.querySelectorAll(".tl-note--mine use")].map((dot) => {
            const rect = dot.getBoundingClientRect();
            return rect.left + rect.width / 2 - box.left;
          });
        }"""
    )
    assert centres == [
        pytest.approx(75 / 7000 * pixels, abs=1),
        pytest.approx(125 / 7000 * pixels, abs=1),
    ]
    # It is a mark like the others: the arrow keys reach it, and pressing it seeks.
    mine.last.focus()
    page.keyboard.press("ArrowLeft")
    expect(new_mark).to_be_focused()
    new_mark.dispatch_event("click")
    assert yt_calls(page, "seekTo")[-1][1] == 75
    assert page.evaluate("window.__sameDocument") is True
    # The row of notes is the one the server draws now.
    fresh = page.evaluate(
        """async () => {
          const root = document.querySelector("[data-timeline]");
          const answer = await fetch(root.dataset.timelineUrl);
          const drawing = document.createElement("template");
          drawing.innerHTML = await answer.text();
          return [...drawing.content.querySelectorAll(".tl-notes .tl-note")].map((mark) => [
            mark.dataset.note, mark.dataset.at, mark.getAttribute("aria-label"),
            mark.getAttribute("href"),
          ]);
        }"""
    )
    assert fresh == marks
    assert traffic.offsite == []


def test_a_timeline_brought_with_other_lanes_is_asked_for_whole(
    page, live_server, seed_episode, traffic
) -> None:
    """When the lanes the answer leaves out are not the page's (the content changed since it
    was drawn), the page asks for the timeline, whole, and draws it."""
    from .test_annotations import start_player_at

    ada_on_the_episode(page, live_server, seed_episode)
    lanes = page.locator("[data-lane]").count()
    page.evaluate("document.querySelector('[data-timeline]').dataset.lanes = 'drawn-before'")

    start_player_at(page, 125)
    write_note_now(page, 125, "A note on a timeline drawn before.")

    expect(page.locator(".tl-note--mine")).to_have_count(1)
    redraws = [url for url in traffic.requested if "/timeline/" in url]
    assert len(redraws) == 1 and redraws[0].endswith("/timeline/?lanes=drawn-before")
    expect(page.locator("[data-lane]")).to_have_count(lanes)
    assert page.locator("[data-timeline]").get_attribute("data-lanes") != "drawn-before"


def test_a_mark_drawn_for_other_lanes_makes_the_page_ask_for_the_timeline(
    page, live_server, seed_episode, traffic
) -> None:
    """A new note's mark alone fits only the drawing it was drawn for: on a page whose lanes
    are others (the content changed since it was drawn), the page asks for the timeline."""
    from .test_annotations import start_player_at

    ada_on_the_episode(page, live_server, seed_episode)
    start_player_at(page, 125)
    write_note_now(page, 125, "The first note, which brings the row of notes.")
    expect(page.locator(".tl-note--mine")).to_have_count(1)
    page.evaluate("document.querySelector('[data-timeline]').dataset.lanes = 'drawn-before'")

    write_note_now(page, 75, "A note on a timeline drawn before.")

    expect(page.locator(".tl-note--mine")).to_have_count(2)
    redraws = [url for url in traffic.requested if "/timeline/" in url]
    assert len(redraws) == 1 and redraws[0].endswith("/timeline/?lanes=drawn-before")
    expect(page.locator("[data-timeline]")).not_to_have_attribute("data-lanes", "drawn-before")
    assert [at for _, at, _, _ in page.evaluate(NOTE_MARKS)] == ["75", "125"]

"""Browser tests for writing a note from the keyboard: Ctrl+Enter (Cmd+Enter) saves, with htmx
and without it; Esc cancels and puts focus back where it was; and the "note at this moment" can
pause the video while it is written (a choice remembered), playing on after save or cancel."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from tests.annotations.factories import make_user

from .conftest import yt_calls
from .test_annotations import own_notes, sign_in, start_player_at
from .test_episode_page import claim_with

pytestmark = pytest.mark.e2e

PAUSE_OPTION = "Pause the video while I write"


@pytest.fixture
def signed_in(page, live_server, seed_episode, traffic):
    """The seed episode's page, signed in as ada, marked to notice any reload."""
    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.evaluate("window.__sameDocument = true")
    return page


def test_ctrl_enter_saves_the_note_at_this_moment_in_place(signed_in) -> None:
    page = signed_in
    start_player_at(page, 125)
    page.locator("body").click(position={"x": 2, "y": 2})
    page.keyboard.press("n")
    page.keyboard.type("Saved from the keyboard")

    page.keyboard.press("Control+Enter")

    expect(own_notes(page, claim_with(page, 83)).locator(".note-body")).to_have_text(
        "Saved from the keyboard"
    )
    expect(page.locator("[data-note-now]")).not_to_have_attribute("open", "")
    note = Annotation.objects.get()
    assert (note.body, note.seconds, note.claim.label) == (
        "Saved from the keyboard",
        125,
        "Outcome",
    )
    assert page.evaluate("window.__sameDocument") is True


def test_cmd_enter_saves_a_note_on_a_claim_in_place(signed_in) -> None:
    page = signed_in
    objective = claim_with(page, 69)
    objective.locator(":scope > .claim-body").hover()
    objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)").click()
    body = objective.locator("form[data-annotation-form] textarea")
    expect(body).to_be_focused()
    page.keyboard.type("Cmd and Enter")

    page.keyboard.press("Meta+Enter")

    expect(own_notes(page, objective).locator(".note-body")).to_have_text("Cmd and Enter")
    assert [(n.body, n.claim.label) for n in Annotation.objects.all()] == [
        ("Cmd and Enter", "Objective")
    ]
    assert page.evaluate("window.__sameDocument") is True


def test_ctrl_enter_posts_the_form_itself_where_htmx_is_missing(
    page, live_server, seed_episode, traffic
) -> None:
    make_user("ada")
    page.route("**/htmx*.js", lambda route: route.abort())
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", path)
    objective = claim_with(page, 69)
    claim_id = objective.get_attribute("data-claim-id")
    objective.locator(":scope > .claim-body").hover()
    objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)").click()
    page.wait_for_url(f"**/notes/new/?claim={claim_id}")
    page.locator("textarea").fill("Posted without htmx")
    page.locator("textarea").focus()

    page.keyboard.press("Control+Enter")

    page.wait_for_url(f"{live_server.url}{path}#c{claim_id}")
    expect(own_notes(page, claim_with(page, 69)).locator(".note-body")).to_have_text(
        "Posted without htmx"
    )
    assert [(n.body, n.claim.label) for n in Annotation.objects.all()] == [
        ("Posted without htmx", "Objective")
    ]


TYPE_AS_IT_OPENS = """() => {
  const details = document.querySelector("[data-note-now]");
  details.addEventListener("toggle", () => { window.__toggled = true; }, { once: true });
  details.querySelector("summary").click();
  const at = document.querySelector("[data-note-now-form] [name=at]");
  at.value = "0:30";
  at.dispatchEvent(new Event("input", { bubbles: true }));
}"""


def test_a_time_typed_as_the_form_opens_is_kept_not_replaced_by_the_playback_time(
    signed_in,
) -> None:
    # The form is filled when it opens, not later when the browser reports the toggle: a time
    # typed before that report (quick hands, a password manager, a test) used to be overwritten.
    page = signed_in
    start_player_at(page, 125)

    page.evaluate(TYPE_AS_IT_OPENS)
    page.wait_for_function("() => window.__toggled === true")

    now_form = page.locator("[data-note-now-form]")
    expect(now_form.get_by_label("At")).to_have_value("0:30")
    expect(now_form.locator("input[name='claim']")).to_have_value("")


def test_the_summary_fills_the_form_with_the_playback_time_before_it_is_shown(
    signed_in,
) -> None:
    page = signed_in
    start_player_at(page, 125)
    outcome = claim_with(page, 83)
    expect(outcome).to_have_attribute("aria-current", "true")

    at = page.evaluate(
        """() => {
          document.querySelector("[data-note-now] summary").click();
          return document.querySelector("[data-note-now-form] [name=at]").value;
        }"""
    )

    assert at == "2:05"
    expect(page.locator("[data-note-now-form] input[name='claim']")).to_have_value(
        outcome.get_attribute("data-claim-id")
    )


def test_the_form_names_the_claim_spoken_at_its_time_even_just_after_the_time_jumped(
    signed_in,
) -> None:
    # The player's time can jump without the page (YouTube's own controls); the claim being
    # spoken followed a poll later, so a note written at once went to the claim spoken before.
    page = signed_in
    start_player_at(page, 125)
    expect(claim_with(page, 83)).to_have_attribute("aria-current", "true")
    objective_id = claim_with(page, 69).get_attribute("data-claim-id")

    at, claim = page.evaluate(
        """() => {
          window.__ytSetTime(75);
          document.querySelector("[data-note-now] summary").click();
          const form = document.querySelector("[data-note-now-form]");
          return [form.elements.namedItem("at").value, form.elements.namedItem("claim").value];
        }"""
    )

    assert (at, claim) == ("1:15", objective_id)
    expect(claim_with(page, 69)).to_have_attribute("aria-current", "true")


def test_esc_closes_the_note_at_this_moment_and_focus_returns_to_the_claim(signed_in) -> None:
    page = signed_in
    page.locator("body").click(position={"x": 2, "y": 2})
    page.keyboard.press("j")
    focused_claim = page.evaluate("document.activeElement.dataset.claimId")
    assert focused_claim
    page.keyboard.press("n")
    page.keyboard.type("Never mind")

    page.keyboard.press("Escape")

    expect(page.locator("[data-note-now]")).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.dataset.claimId") == focused_claim
    page.keyboard.press("n")
    expect(page.locator("[data-note-now-form] textarea")).to_have_value("")
    assert Annotation.objects.count() == 0


def test_esc_closes_a_note_form_on_a_claim_and_focus_returns_to_its_note_link(signed_in) -> None:
    page = signed_in
    objective = claim_with(page, 69)
    objective.locator(":scope > .claim-body").hover()
    note_link = objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)")
    note_link.click()
    form = objective.locator("form[data-annotation-form]")
    expect(form.locator("textarea")).to_be_focused()
    page.keyboard.type("Never mind")

    page.keyboard.press("Escape")

    expect(form).to_have_count(0)
    expect(note_link).to_be_focused()
    assert Annotation.objects.count() == 0
    assert page.evaluate("window.__sameDocument") is True


def test_esc_leaves_an_edit_unsaved_and_focus_returns_to_edit(
    page, live_server, seed_episode, traffic
) -> None:
    ada = make_user("ada")
    claim = Claim.objects.get(article__episode=seed_episode, label="Outcome")
    note = annotation_create(author=ada, episode=seed_episode, claim=claim, body="As first written")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    mine = page.locator(f"[data-annotation-id='{note.pk}']")
    mine.get_by_role("link", name="Edit").click()
    editor = mine.locator("textarea")
    expect(editor).to_have_value("As first written")
    editor.fill("A change I drop")

    editor.press("Escape")

    expect(mine.locator("form[data-annotation-form]")).to_have_count(0)
    expect(mine.locator(".note-body")).to_have_text("As first written")
    expect(mine.get_by_role("link", name="Edit")).to_be_focused()
    note.refresh_from_db()
    assert note.body == "As first written"


def calls_since(page, name: str, before: int) -> int:
    return len(yt_calls(page, name)) - before


def test_the_video_waits_while_a_note_is_written_when_asked_and_plays_on_after_save(
    signed_in,
) -> None:
    page = signed_in
    start_player_at(page, 125)
    pauses, plays = len(yt_calls(page, "pauseVideo")), len(yt_calls(page, "playVideo"))
    page.locator("body").click(position={"x": 2, "y": 2})
    page.keyboard.press("n")
    option = page.get_by_label(PAUSE_OPTION)
    expect(option).not_to_be_checked()
    assert calls_since(page, "pauseVideo", pauses) == 0

    option.check()
    assert calls_since(page, "pauseVideo", pauses) == 1
    page.locator("[data-note-now-form] textarea").fill("While it waits")
    page.locator("[data-note-now-form] textarea").press("Control+Enter")

    expect(own_notes(page, claim_with(page, 83))).to_have_count(1)
    page.wait_for_function("() => window.Seeknotes.player.isPlaying()")
    assert calls_since(page, "playVideo", plays) == 1
    assert page.evaluate("localStorage.getItem('seeknotes:pause-while-writing')") == "1"


def test_the_remembered_choice_pauses_at_once_and_cancel_plays_on(signed_in) -> None:
    page = signed_in
    page.evaluate("localStorage.setItem('seeknotes:pause-while-writing', '1')")
    page.reload()
    page.wait_for_function("() => window.Seeknotes !== undefined")
    start_player_at(page, 125)
    plays = len(yt_calls(page, "playVideo"))
    page.locator("body").click(position={"x": 2, "y": 2})

    page.keyboard.press("n")

    expect(page.get_by_label(PAUSE_OPTION)).to_be_checked()
    page.wait_for_function("() => !window.Seeknotes.player.isPlaying()")
    assert len(yt_calls(page, "pauseVideo")) == 1

    page.keyboard.press("Escape")

    page.wait_for_function("() => window.Seeknotes.player.isPlaying()")
    assert calls_since(page, "playVideo", plays) == 1
    expect(page.get_by_label(PAUSE_OPTION)).to_have_count(1)
    assert Annotation.objects.count() == 0


def test_a_video_already_paused_is_not_started_by_a_cancel(signed_in) -> None:
    page = signed_in
    page.evaluate("localStorage.setItem('seeknotes:pause-while-writing', '1')")
    start_player_at(page, 125)
    page.evaluate("window.Seeknotes.player.pause()")
    plays = len(yt_calls(page, "playVideo"))
    page.locator("body").click(position={"x": 2, "y": 2})

    page.keyboard.press("n")
    expect(page.get_by_label(PAUSE_OPTION)).to_be_checked()
    page.keyboard.press("Escape")

    expect(page.locator("[data-note-now]")).not_to_have_attribute("open", "")
    assert calls_since(page, "playVideo", plays) == 0
    assert page.evaluate("window.Seeknotes.player.isPlaying()") is False

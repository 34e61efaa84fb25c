"""Browser tests for the claims as one keyboard widget (roving tabindex): the page takes a
handful of Tab stops to cross instead of one per claim, timestamp and "#"; inside, the arrows,
j/k, Home and End move and Enter seeks. Also: the "#" permalink is readable (4.5:1) in both
schemes, and deleting a note puts focus on a neighbour, not on nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from tests.annotations.factories import make_user

from .conftest import is_local, yt_calls
from .test_annotations import sign_in
from .test_episode_page import claim_with, wait_for_seek

pytestmark = pytest.mark.e2e

# Marks each element Tab reaches; says where it is, "seen" once Tab has come round again.
TAB_PROBE = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  if (element.dataset.tabSeen) return "seen";
  element.dataset.tabSeen = "1";
  if (element.closest("[data-claim-id]")) return "claims";
  return "other";
}"""


def tab_stops(page, limit: int = 600) -> dict[str, int]:
    """Press Tab from the top of the page until focus leaves it or comes round; count stops."""
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    counts = {"claims": 0, "other": 0}
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(TAB_PROBE)
        if where in (None, "seen"):
            break
        counts[where] += 1
    return counts


def test_the_claims_take_one_tab_stop_instead_of_hundreds(
    browser, episode_page, live_server, seed_episode
) -> None:
    # Before: what the server sends, as a browser without JavaScript tabs through it.
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.route(
        "**/*", lambda route: route.continue_() if is_local(route.request.url) else route.abort()
    )
    plain.goto(f"{live_server.url}{seed_episode.get_absolute_url()}")
    before = tab_stops(plain)
    context.close()

    after = tab_stops(episode_page())

    assert before["claims"] > 150
    # One claim, its timestamp and its "#": the claim holding the Tab stop keeps its links.
    assert 1 <= after["claims"] <= 5
    assert after["claims"] + after["other"] < 60
    print(f"Tab stops without JavaScript {before}, with it {after}")


def test_tab_enters_the_claims_and_arrows_move_the_one_tab_stop(episode_page) -> None:
    page = episode_page()
    claims = page.locator("[data-claim-id]")
    first = claims.first
    assert page.locator("[data-claim-id][tabindex='0']").count() == 1
    expect(first).to_have_attribute("tabindex", "0")
    # The other claims' timestamps and "#" are out of the Tab order, still in the page.
    second = claims.nth(1)
    expect(second.locator(":scope > .claim-body .claim-permalink")).to_have_attribute(
        "tabindex", "-1"
    )
    expect(first.locator(":scope > .claim-body .claim-permalink")).not_to_have_attribute(
        "tabindex", "-1"
    )

    first.focus()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    assert page.locator("[data-claim-id][tabindex='0']").count() == 1
    expect(second).to_have_attribute("tabindex", "0")
    expect(first).to_have_attribute("tabindex", "-1")
    page.keyboard.press("j")
    expect(claims.nth(2)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(second).to_be_focused()
    page.keyboard.press("End")
    expect(claims.last).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()

    # Tab from the claim reaches its own links (timestamps, "#"), then leaves the claims.
    objective = claim_with(page, 69)
    objective.focus()
    own_links = objective.locator(":scope > .claim-body :is(a[href], button):visible")
    assert own_links.count() >= 3
    for index in range(own_links.count()):
        page.keyboard.press("Tab")
        expect(own_links.nth(index)).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[data-claim-id]')") is None
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(own_links.nth(own_links.count() - 2)).to_be_focused()

    objective.focus()
    page.keyboard.press("Enter")
    wait_for_seek(page, 69)
    assert yt_calls(page, "seekTo")[0][1:] == [69, True]


def test_tab_enters_the_claims_at_the_moment_a_link_opened(episode_page) -> None:
    page = episode_page("?t=1m37s")

    current = claim_with(page, 97)
    expect(current).to_have_attribute("aria-current", "true")
    expect(current).to_have_attribute("tabindex", "0")
    assert page.locator("[data-claim-id][tabindex='0']").count() == 1


def contrast_of_permalink(page) -> float:
    """WCAG contrast of the "#" against what is behind it, from the computed styles."""
    return page.evaluate(
        """() => {
          const parse = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
          const link = document.querySelector("[data-claim-id] .claim-permalink");
          let [r, g, b, a = 1] = parse(getComputedStyle(link).color);
          let opacity = 1;
          for (let e = link; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
          a *= opacity;
          let back = null;
          for (let e = link; e && !back; e = e.parentElement) {
            const [br, bg, bb, ba = 1] = parse(getComputedStyle(e).backgroundColor);
            if (ba > 0) back = [br, bg, bb];
          }
          back = back || [255, 255, 255];
          const fore = [r, g, b].map((c, i) => c * a + back[i] * (1 - a));
          const lum = (rgb) => {
            const [R, G, B] = rgb.map((c) => {
              c /= 255;
              return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
            });
            return 0.2126 * R + 0.7152 * G + 0.0722 * B;
          };
          const [hi, lo] = [lum(fore), lum(back)].sort((x, y) => y - x);
          return (hi + 0.05) / (lo + 0.05);
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_permalink_has_at_least_4_5_to_1_contrast(episode_page, scheme) -> None:
    page = episode_page()
    page.emulate_media(color_scheme=scheme)

    ratio = contrast_of_permalink(page)

    assert ratio >= 4.5, f"{scheme}: {ratio:.2f}"


@pytest.fixture
def ada_notes(page, live_server, seed_episode, traffic):
    """ada, signed in on the seed episode, with two notes on "Outcome" and one at a moment."""
    ada = make_user("ada")
    outcome = Claim.objects.get(article__episode=seed_episode, label="Outcome")
    first = annotation_create(author=ada, episode=seed_episode, claim=outcome, body="First")
    second = annotation_create(author=ada, episode=seed_episode, claim=outcome, body="Second")
    loose = annotation_create(author=ada, episode=seed_episode, seconds=30, body="Loose")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.on("dialog", lambda dialog: dialog.accept())
    return page, outcome, first, second, loose


def active(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.dataset.annotationId || null,"
        " claim: document.activeElement.dataset.claimId || null,"
        " tag: document.activeElement.tagName, text: document.activeElement.textContent.trim()})"
    )


def delete_note(page, note_id: int) -> None:
    note = page.locator(f"[data-annotation-id='{note_id}']")
    note.get_by_role("button", name="Delete").click()
    expect(note).to_have_count(0)


def test_deleting_a_note_on_the_episode_page_moves_focus_to_a_neighbour(ada_notes) -> None:
    page, outcome, first, second, loose = ada_notes
    page.evaluate("window.__sameDocument = true")

    delete_note(page, first.pk)
    page.wait_for_function(f"() => document.activeElement.dataset.annotationId === '{second.pk}'")
    assert active(page)["text"].startswith("You")

    delete_note(page, second.pk)
    page.wait_for_function(f"() => document.activeElement.dataset.claimId === '{outcome.pk}'")
    expect(claim_with(page, 83)).to_have_attribute("tabindex", "0")

    delete_note(page, loose.pk)
    page.wait_for_function("() => /^H[1-6]$/.test(document.activeElement.tagName)")
    assert page.evaluate("window.__sameDocument") is True


def test_deleting_on_my_notes_moves_focus_to_the_next_note_then_the_heading(
    ada_notes, live_server
) -> None:
    page, _outcome, first, second, loose = ada_notes
    page.goto(f"{live_server.url}/notes/")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__sameDocument = true")
    # Newest first: loose, second, first.
    order = page.locator("[data-annotation-id]").evaluate_all(
        "(notes) => notes.map((n) => Number(n.dataset.annotationId))"
    )
    assert order == [loose.pk, second.pk, first.pk]

    delete_note(page, second.pk)
    page.wait_for_function(f"() => document.activeElement.dataset.annotationId === '{first.pk}'")
    delete_note(page, first.pk)
    page.wait_for_function(f"() => document.activeElement.dataset.annotationId === '{loose.pk}'")
    delete_note(page, loose.pk)
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")

    assert active(page)["text"] == "My notes"
    assert page.evaluate("window.__sameDocument") is True
    assert Annotation.objects.count() == 0


def test_a_link_added_later_to_a_claim_leaves_the_tab_order_too(episode_page) -> None:
    page = episode_page()
    later = page.locator("[data-claim-id]").nth(3)
    later.locator(":scope > .claim-body").evaluate(
        "(body) => body.insertAdjacentHTML('beforeend', '<a href=\"#later\" id=later>Later</a>')"
    )

    expect(page.locator("#later")).to_have_attribute("tabindex", "-1")
    later.focus()
    expect(page.locator("#later")).not_to_have_attribute("tabindex", "-1")

"""Browser tests for notes on the episode page: writing, editing, deleting without a reload,
the "note at this moment" form fed by the (stand-in) player, pages without JavaScript, and the
XSS corpus rendered in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from tests.annotations.factories import PASSWORD, make_user
from tests.annotations.xss_payloads import XSS_PAYLOADS

from .test_episode_page import claim_with

pytestmark = pytest.mark.e2e

# Everything in a rendered note body that could run code or act for the reader.
EXECUTABLE_MARKUP_JS = """
() => {
  const unsafeTags = new Set(["SCRIPT", "IFRAME", "OBJECT", "EMBED", "SVG", "MATH", "STYLE",
    "FORM", "INPUT", "BUTTON", "META", "BASE", "LINK", "IMG", "VIDEO", "AUDIO", "SOURCE",
    "DETAILS", "MARQUEE", "TEXTAREA", "SELECT", "FRAME", "FRAMESET", "TEMPLATE"]);
  const problems = [];
  const bodies = document.querySelectorAll("[data-annotation-id] .note-body");
  for (const body of bodies) {
    for (const element of body.querySelectorAll("*")) {
      const tag = element.tagName.toUpperCase();
      if (unsafeTags.has(tag)) problems.push(`<${tag}>`);
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith("on") || name.startsWith("hx-") || name.startsWith("data-")
            || ["style", "src", "srcdoc", "action", "formaction", "xlink:href"].includes(name)) {
          problems.push(`<${tag} ${name}>`);
        }
      }
      if (tag === "A" && element.hasAttribute("href")) {
        const protocol = new URL(element.href, document.baseURI).protocol;
        if (!["http:", "https:", "mailto:"].includes(protocol)) {
          problems.push(`<A href=${element.getAttribute("href")}>`);
        }
        if (element.rel !== "noopener nofollow ugc") problems.push(`<A rel=${element.rel}>`);
      }
    }
  }
  return { problems, bodies: bodies.length, xss: window.__xss ?? null };
}
"""


def sign_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{next_path}")


def own_notes(page, claim_locator):
    """The notes listed under a claim (not under the claims nested in it)."""
    claim_id = claim_locator.get_attribute("data-claim-id")
    return page.locator(f"[data-annotations-for='{claim_id}'] [data-annotation-id]")


def start_player_at(page, seconds: int) -> None:
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")
    page.evaluate(f"window.__ytSetTime({seconds})")


def test_write_on_a_claim_and_now_then_edit_and_delete_without_reloading(
    page, live_server, seed_episode, traffic
) -> None:
    make_user("ada")
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", path)
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("[data-account-name]")).to_have_text("ada")

    # A note on a claim, made public.
    objective = claim_with(page, 69)
    objective.locator(":scope > .claim-body").hover()
    objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)").click()
    form = page.locator(
        f"[data-annotations-for='{objective.get_attribute('data-claim-id')}'] form[data-annotation-form]"
    )
    expect(form.locator("textarea")).to_be_focused()
    form.locator("textarea").fill("Imitation *first*, then preferences.")
    form.get_by_label("Everyone").check()
    form.get_by_role("button", name="Save note").click()
    on_claim = own_notes(page, objective)
    expect(on_claim).to_have_count(1)
    expect(on_claim.locator(".note-body em")).to_have_text("first")
    expect(on_claim.locator("[data-visibility]")).to_have_text("Public")
    expect(form).to_have_count(0)

    # A note "now": the player reports 2:05, while the Outcome claim (1:23) is being spoken.
    start_player_at(page, 125)
    outcome = claim_with(page, 83)
    expect(outcome).to_have_attribute("aria-current", "true")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    now_form = page.locator("[data-note-now-form]")
    expect(now_form.locator("textarea")).to_be_focused()
    expect(now_form.get_by_label("At")).to_have_value("2:05")
    expect(now_form.locator("input[name='claim']")).to_have_value(
        outcome.get_attribute("data-claim-id")
    )
    page.keyboard.type("Calibrated, until post-training.")
    now_form.get_by_role("button", name="Save note").click()
    at_now = own_notes(page, outcome)
    expect(at_now).to_have_count(1)
    expect(at_now.locator(".note-time")).to_have_text("2:05")
    expect(page.locator("[data-note-now]")).not_to_have_attribute("open", "")
    now_note = Annotation.objects.get(body="Calibrated, until post-training.")
    assert (now_note.claim.label, now_note.seconds, now_note.visibility) == (
        "Outcome",
        125,
        "private",
    )

    # An empty edit is refused in place; a real one is saved.
    on_claim.get_by_role("link", name="Edit").click()
    editor = on_claim.locator("form[data-annotation-form] textarea")
    expect(editor).to_have_value("Imitation *first*, then preferences.")
    editor.fill("   ")
    on_claim.get_by_role("button", name="Save").click()
    expect(on_claim.locator(".errorlist")).to_have_text("Write something first.")
    on_claim.locator("textarea").fill("Imitation **first**, then preferences (edited).")
    on_claim.get_by_role("button", name="Save").click()
    expect(on_claim.locator(".note-body strong")).to_have_text("first")
    expect(on_claim.locator(".note-body")).to_contain_text("(edited)")

    # Delete the "now" note, confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    at_now.get_by_role("button", name="Delete").click()
    expect(at_now).to_have_count(0)
    expect(outcome).to_be_focused()

    assert page.evaluate("window.__sameDocument") is True
    assert traffic.offsite == []

    page.reload()
    page.wait_for_function("() => window.Seeknotes !== undefined")
    expect(page.locator("[data-annotation-id]")).to_have_count(1)
    expect(own_notes(page, claim_with(page, 69)).locator(".note-body")).to_have_text(
        "Imitation first, then preferences (edited)."
    )
    expect(own_notes(page, claim_with(page, 83))).to_have_count(0)
    [remaining] = Annotation.objects.all()
    assert (remaining.body, remaining.visibility, remaining.seconds, remaining.claim.label) == (
        "Imitation **first**, then preferences (edited).",
        "public",
        69,
        "Objective",
    )


def test_others_see_a_public_note_under_its_claim_with_author_and_time(
    episode_page, seed_episode
) -> None:
    claim = Claim.objects.get(article__episode=seed_episode, label="Outcome")
    author = make_user("grace")
    annotation_create(
        author=author, episode=seed_episode, claim=claim, body="Shared", visibility="public"
    )
    annotation_create(author=author, episode=seed_episode, claim=claim, body="Kept to herself")
    page = episode_page()

    notes = page.locator(f"[data-annotations-for='{claim.pk}'] [data-annotation-id]")

    expect(notes).to_have_count(1)
    expect(notes.locator(".note-author")).to_have_text("grace")
    expect(notes.locator(".note-time")).to_have_text("1:23")
    expect(notes.locator(".note-body")).to_have_text("Shared")
    expect(notes.get_by_role("link", name="Edit")).to_have_count(0)

    notes.locator(".note-time").click()
    page.wait_for_function(
        "() => (window.__ytCalls || []).some((c) => c[0] === 'seekTo' && c[1] === 83)"
    )


def test_n_without_an_account_points_at_sign_in(episode_page) -> None:
    page = episode_page()

    page.keyboard.press("n")

    expect(page.locator("[data-note-signin]")).to_be_focused()


def test_notes_work_without_javascript(browser, live_server, seed_episode) -> None:
    make_user("ada")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", path)
    objective = claim_with(page, 69)
    claim_id = objective.get_attribute("data-claim-id")

    objective.locator(":scope > .claim-body .claim-note-link:not(.claim-fix-link)").click()
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".errorlist")).to_have_text("Write something first.")
    page.locator("textarea").fill("Written with scripts off")
    page.get_by_role("button", name="Save note").click()

    page.wait_for_url(f"{live_server.url}{path}#c{claim_id}")
    expect(own_notes(page, claim_with(page, 69)).locator(".note-body")).to_have_text(
        "Written with scripts off"
    )

    page.locator("[data-note-now] summary").click()
    page.locator("[data-note-now-form]").get_by_label("At").fill("2:05")
    page.locator("[data-note-now-form] textarea").fill("Typed time")
    page.locator("[data-note-now-form]").get_by_role("button", name="Save note").click()
    outcome_id = claim_with(page, 83).get_attribute("data-claim-id")
    page.wait_for_url(f"{live_server.url}{path}#c{outcome_id}")
    expect(own_notes(page, claim_with(page, 83))).to_have_count(1)

    own_notes(page, claim_with(page, 83)).get_by_role("button", name="Delete").click()
    page.wait_for_url(f"{live_server.url}{path}#c{outcome_id}")
    expect(page.locator("[data-annotation-id]")).to_have_count(1)
    context.close()


def test_xss_corpus_renders_inert_in_chromium(page, live_server, seed_episode, traffic) -> None:
    author = make_user("mallory")
    reader = make_user("victim")
    claims = list(Claim.objects.filter(article__episode=seed_episode).order_by("position"))
    for index, payload in enumerate(XSS_PAYLOADS):
        annotation_create(
            author=author,
            episode=seed_episode,
            claim=claims[index % len(claims)],
            body=payload,
            visibility="public",
        )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server, "victim", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")

    # Give every handler its chance: hover, focus and click each note.
    notes = page.locator("[data-annotation-id] .note-body")
    expect(notes).to_have_count(len(XSS_PAYLOADS))
    for index in range(len(XSS_PAYLOADS)):
        body = notes.nth(index)
        body.scroll_into_view_if_needed()
        body.hover()
        body.dispatch_event("click")  # on the body itself: a link inside would navigate away
        for child in body.locator("*").all():
            child.dispatch_event("mouseover")
            child.focus()
    page.wait_for_timeout(500)

    found = page.evaluate(EXECUTABLE_MARKUP_JS)
    assert found == {"problems": [], "bodies": len(XSS_PAYLOADS), "xss": None}
    assert dialogs == []
    assert page.url == f"{live_server.url}{seed_episode.get_absolute_url()}"
    # Nothing a note said made the page fetch on the reader's behalf or sign them out.
    assert not [url for url in traffic.requested if "/accounts/logout/" in url]
    assert traffic.offsite == []
    page.reload()
    expect(page.locator("[data-account-name]")).to_have_text("victim")

    # The author's own list renders the same bodies through another template.
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    sign_in(page, live_server, "mallory", "/notes/")
    shown = 0
    for number in (1, 2):
        page.goto(f"{live_server.url}/notes/?page={number}")
        page.wait_for_timeout(300)
        found = page.evaluate(EXECUTABLE_MARKUP_JS)
        assert (found["problems"], found["xss"]) == ([], None)
        shown += found["bodies"]
    assert shown == len(XSS_PAYLOADS)
    assert dialogs == []
    assert reader.is_active

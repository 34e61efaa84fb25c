"""The Content-Security-Policy in real Chromium: the pages work under it without one violation,
and a script slipped into a page as served (with the server's own header) does not run."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from apps.annotations.services import annotation_create
from apps.episodes.models import Claim
from tests.annotations.factories import PASSWORD, make_user

from .conftest import yt_calls
from .test_annotations import sign_in
from .test_episode_page import claim_with, wait_for_seek
from .test_search import hit_links

pytestmark = pytest.mark.e2e

# Every violation the document reports, kept on the page from before its first script runs.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
# Slipped into the page as served: an inline script, and an inline handler on an image that loads.
INJECTED = (
    "<script>window.__injected = 'script'</script>"
    '<img src="/static/favicon.svg" alt="" data-injected onload="window.__injected = \'handler\'">'
)


class Violations:
    """What the browser refused on any page of the test: console messages survive navigation,
    the `securitypolicyviolation` events are read from the current document."""

    def __init__(self, page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(COLLECT_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def reported(self) -> list[str]:
        return self.console + self.page.evaluate("window.__cspViolations")


@pytest.fixture
def violations(page) -> Violations:
    return Violations(page)


def test_episode_page_creates_the_player_and_seeks_from_a_claim_with_no_violation(
    page, live_server, seed_episode, traffic, violations
) -> None:
    response = page.goto(f"{live_server.url}{seed_episode.get_absolute_url()}")
    page.wait_for_function("() => window.Seeknotes !== undefined")

    claim_with(page, 69).locator(".claim-body strong").first.click()

    wait_for_seek(page, 69)
    [[_, video_id, _vars]] = yt_calls(page, "Player")
    assert video_id == seed_episode.video_id
    expect(page.locator("[data-fake-youtube]")).to_have_count(1)
    assert (
        "script-src 'self' https://www.youtube.com" in response.headers["content-security-policy"]
    )
    assert violations.reported() == []


def test_search_as_you_type_swaps_results_in_with_no_violation(
    page, live_server, seed_episode, traffic, violations
) -> None:
    page.goto(f"{live_server.url}/search/")

    page.get_by_role("searchbox").press_sequentially("generalize", delay=30)

    expect(page.locator("#search-results .search-hit").first).to_be_visible()
    assert all(link.startswith(f"/episodes/{seed_episode.video_id}/") for link in hit_links(page))
    page.locator("#search-results .search-hit a").first.click()
    page.wait_for_function("() => window.Seeknotes !== undefined")
    assert violations.reported() == []


def test_my_notes_list_and_delete_with_no_violation(
    page, live_server, seed_episode, traffic, violations
) -> None:
    claim = Claim.objects.filter(article__episode=seed_episode).first()
    annotation_create(
        author=make_user("ada"), episode=seed_episode, claim=claim, body="Kept *for* later."
    )
    sign_in(page, live_server, "ada", "/notes/")

    notes = page.locator("[data-annotation-id]")
    expect(notes.locator(".note-body em")).to_have_text("for")
    page.locator("[data-exports] summary").click()
    expect(page.locator("[data-notes-import]")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # "Delete this note? …"
    notes.get_by_role("button", name="Delete").click()

    expect(page.locator("[data-annotation-id]")).to_have_count(0)
    expect(page.locator(".empty")).to_contain_text("No notes yet")
    assert violations.reported() == []


def test_api_docs_run_an_operation_with_no_violation(
    page, live_server, seed_episode, traffic, violations
) -> None:
    page.goto(f"{live_server.url}/api/docs")

    operation = page.locator("#operations-episodes-episode_detail")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='video_id']").fill(seed_episode.video_id)
    operation.get_by_role("button", name="Execute").click()

    expect(operation.locator(".live-responses-table")).to_contain_text("The Dwarkesh Podcast")
    page.wait_for_load_state("networkidle")
    assert violations.reported() == []


def test_admin_pages_and_their_scripts_work_with_no_violation(
    page, live_server, seed_episode, traffic, violations
) -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/episodes/episode/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The list's actions.js binds its checkboxes once the document is parsed: wait for the
    # page's load, or a quick check can land before that and count for nothing.
    page.wait_for_url(f"{live_server.url}/admin/episodes/episode/", wait_until="load")

    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.goto(f"{live_server.url}/admin/episodes/episode/{seed_episode.pk}/change/")
    expect(page.locator("#id_video_id")).to_have_value(seed_episode.video_id)
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    expect(page.locator("#id_username")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations.reported() == []


@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/accounts/signup/", "/episodes/NoSuchVideo/", "/no-such-page/"],
)
def test_other_pages_and_the_not_found_page_have_no_violation(
    page, live_server, seed_episode, traffic, violations, path
) -> None:
    response = page.goto(f"{live_server.url}{path}")

    expect(page.locator("h1")).not_to_be_empty()
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations.reported() == []


def test_a_script_injected_into_the_served_episode_page_does_not_run(
    page, live_server, seed_episode, traffic, violations
) -> None:
    url = f"{live_server.url}{seed_episode.get_absolute_url()}"
    served_headers: dict[str, str] = {}

    def inject(route) -> None:
        response = route.fetch()
        served_headers.update(response.headers)
        body = response.text().replace("</body>", f"{INJECTED}</body>")
        route.fulfill(response=response, body=body)

    page.route(url, inject)
    page.goto(url)
    page.wait_for_function("() => window.Seeknotes !== undefined")

    expect(page.locator("img[data-injected]")).to_have_js_property("complete", True)

    assert "window.__injected = 'script'" in page.content()
    assert page.evaluate("window.__injected") is None
    assert "content-security-policy" in served_headers
    page.wait_for_function("() => window.__cspViolations.length === 2")
    reported = sorted(page.evaluate("window.__cspViolations"))
    assert [violation.split()[:2] for violation in reported] == [
        ["script-src-attr", "inline"],
        ["script-src-elem", "inline"],
    ]

"""Browser tests: axe-core (axe-playwright-python) finds nothing serious or critical on any page,
in the light and the dark scheme.

Every page the site has is one line of SCREENS. A new page gets a line: its name, its path
(`{video_id}` and `{channel}` are the seed's, `{note}` the signed-in reader's note), whether
it needs a reader signed in, and optionally what to open on it before axe looks (a form, a
panel). Each page is judged at a wide and a phone's width, in both schemes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e

IMPACTS_REFUSED = {"serious", "critical"}
SCHEMES = ("light", "dark")
VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 800})

# Rules axe is told not to run, each with the reason. Keep this empty unless a rule cannot
# judge a page rightly; fix the markup or the stylesheet instead where it can.
RULES_DISABLED: dict[str, str] = {}


def open_everything_on_the_episode_page(page: Page) -> None:
    """The note at this moment, a claim's note form, the exports and the keyboard help."""
    page.wait_for_function("() => window.Seeknotes !== undefined")
    page.locator("[data-note-now] > summary").click()
    page.locator(".claim-note-link:not(.claim-fix-link)").first.click()
    expect(page.locator(".claim-notes form").first).to_be_visible()
    page.locator("[data-exports] > summary").click()
    page.locator("[data-shortcuts] > summary").click()


def open_the_exports(page: Page) -> None:
    page.locator("[data-exports] > summary").click()


def try_out_writing_a_note(page: Page) -> None:
    """The API docs with an operation open for "Try it out", its request body shown."""
    operation = page.locator("#operations-annotations-annotation_create")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    expect(operation.locator("textarea.body-param__text")).to_be_visible()


@dataclass(frozen=True)
class Screen:
    name: str
    path: str
    signed_in: bool = False
    prepare: Callable[[Page], None] | None = None


SCREENS = [
    Screen("home", "/"),
    Screen("home, signed in", "/", signed_in=True),
    Screen("channel", "/channels/{channel}/"),
    Screen("episode", "/episodes/{video_id}/"),
    Screen("episode at a moment", "/episodes/{video_id}/?t=1m37s"),
    Screen(
        "episode, signed in, forms open",
        "/episodes/{video_id}/",
        signed_in=True,
        prepare=open_everything_on_the_episode_page,
    ),
    Screen("search", "/search/?q=training"),
    Screen("search, nothing found", "/search/?q=zzzzqqq"),
    Screen("my notes", "/notes/", signed_in=True, prepare=open_the_exports),
    Screen("a note", "/notes/{note}/", signed_in=True),
    Screen("editing a note", "/notes/{note}/edit/", signed_in=True),
    Screen("import notes", "/notes/import/", signed_in=True),
    Screen("API tokens", "/accounts/tokens/", signed_in=True),
    Screen("account", "/accounts/", signed_in=True),
    Screen("change password", "/accounts/password_change/", signed_in=True),
    Screen("delete account", "/accounts/delete/", signed_in=True),
    Screen("reset password", "/accounts/password_reset/"),
    Screen("reset password, mail sent", "/accounts/password_reset/sent/"),
    Screen("reset password, link no longer works", "/accounts/reset/MQ/expired-token/"),
    Screen("reset password, done", "/accounts/reset/done/"),
    Screen("sign in", "/accounts/login/"),
    Screen("sign up", "/accounts/signup/"),
    Screen("API docs", "/api/docs", prepare=try_out_writing_a_note),
    Screen("not found", "/episodes/nonesuch/"),
]


@pytest.fixture
def notes_on_the_seed(seed_episode):
    """Ada's private note and Grace's public one, so notes show on the pages that list them."""
    ada, grace = make_user("ada"), make_user("grace")
    claim = Claim.objects.filter(article__episode=seed_episode).order_by("pk").first()
    make_annotation(
        ada, claim=claim, seconds=97, body="*Worth* a [second look](https://example.org)"
    )
    make_annotation(
        grace, claim=claim, seconds=97, body="Agreed.", visibility=Annotation.Visibility.PUBLIC
    )
    return ada


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical findings, one line per rule and element."""
    # target-size (WCAG 2.2's 24 px targets) is off in axe by default: it is measured here.
    rules = {"target-size": {"enabled": True}}
    rules |= {rule: {"enabled": False} for rule in RULES_DISABLED}
    options = {"resultTypes": ["violations"], "rules": rules}
    results = Axe().run(page, options=options)
    return [
        f"{violation['id']} ({violation['impact']}) {node['target']}: {node['failureSummary']}"
        for violation in results.response["violations"]
        if violation["impact"] in IMPACTS_REFUSED
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.name)
def test_no_serious_accessibility_violations_in_either_scheme(
    page, live_server, seed_episode, notes_on_the_seed, traffic, screen
) -> None:
    note = Annotation.objects.filter(author=notes_on_the_seed).get()
    path = screen.path.format(
        video_id=seed_episode.video_id, channel=seed_episode.channel.slug, note=note.pk
    )
    if screen.signed_in:
        sign_in(page, live_server, notes_on_the_seed.username, "/")
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    if screen.prepare:
        screen.prepare(page)

    found = {}
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            # Colours ease into the new scheme: axe judges them once they have arrived.
            page.wait_for_function(
                "() => document.getAnimations().every((a) => a.playState !== 'running')"
            )
            found[f"{scheme}, {viewport['width']} px"] = serious_violations(page)

    report = [f"{where}: {line}" for where, lines in found.items() for line in lines]
    assert report == [], "\n".join(report)

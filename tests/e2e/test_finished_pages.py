"""Browser tests: the pages around the episode page look finished, measured by their boxes.

The home page's Search button sits beside its box, its channel filter above the episodes and a
lone episode fills the column; the tokens table spaces its columns, its button is a button's
width and a new token has a Copy button; the notes' import form draws its file button as the
site's; no page scrolls sideways on a phone; every page's footer links the API docs, the notes
export and where the notes come from.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e

WIDE = {"width": 1280, "height": 800}
SOURCE_OF_THE_NOTES = "https://github.com/sieve-data/tubegraph"


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_home_page_header_keeps_search_on_one_line_and_the_episodes_fill_the_column(
    page, live_server, seed_episode
) -> None:
    page.set_viewport_size(WIDE)
    page.goto(live_server.url)

    field, button = box(page, "#episode-search-q"), box(page, ".search-form button")
    assert button["y"] == pytest.approx(field["y"], abs=2)
    assert button["x"] > field["x"] + field["width"]
    # The channel filter heads the list of episodes, not the far right of the page.
    card, column = box(page, ".episode-card"), box(page, ".home-main")
    assert box(page, "form.filter")["x"] == pytest.approx(column["x"], abs=1)
    assert box(page, "form.filter")["y"] < card["y"]
    # One episode takes the column rather than a narrow card beside an empty middle.
    assert card["width"] == pytest.approx(column["width"], abs=1)


def test_on_a_phone_the_channel_filter_keeps_its_button_beside_the_list(
    page, live_server, seed_episode
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url)

    select, show = box(page, "#channel-filter"), box(page, "form.filter button")
    assert show["y"] == pytest.approx(select["y"], abs=6)
    assert show["x"] > select["x"] + select["width"]


def test_the_tokens_page_spaces_its_table_and_copies_a_new_token(
    page, context, live_server, seed_episode
) -> None:
    make_user("ada")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "ada", "/accounts/tokens/")

    make = page.get_by_role("button", name="Make token")
    assert make.bounding_box()["width"] < 240
    page.fill("#token-name", "laptop script")
    make.click()

    key = page.locator("[data-token-key]").inner_text()
    assert len(key) > 20
    page.get_by_role("button", name="Copy").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == key

    # Each column's text stands at least 1.5 rem (24 px) from the next column's.
    gaps = page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll("[data-tokens] tbody tr:first-child td")];
          const text = (cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return range.getBoundingClientRect();
          };
          return cells.slice(1).map((cell, i) => text(cell).left - text(cells[i]).right);
        }"""
    )
    assert len(gaps) == 3
    assert min(gaps) >= 24


@pytest.mark.parametrize("path", ["/notes/import/", "/notes/"])
def test_the_import_form_draws_its_file_button_apart_from_the_notes(
    page, live_server, seed_episode, path
) -> None:
    ada = make_user("ada")
    make_annotation(ada, claim=Claim.objects.order_by("pk").first(), seconds=69)
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "ada", path)
    if path == "/notes/":
        page.locator("[data-exports] > summary").click()

    file_button = page.evaluate(
        """() => {
          const style = getComputedStyle(
            document.querySelector("#notes-import-file"), "::file-selector-button");
          return {radius: style.borderTopLeftRadius, weight: style.fontWeight};
        }"""
    )
    assert file_button == {"radius": "8px", "weight": "600"}
    form = box(page, "[data-notes-import]")
    if path == "/notes/":
        # The panel ends well before the first note's card begins.
        panel, first_note = box(page, "[data-exports]"), box(page, ".my-note")
        assert first_note["y"] - (panel["y"] + panel["height"]) >= 16
        assert form["y"] + form["height"] <= panel["y"] + panel["height"]
    import_button = page.get_by_role("button", name="Import", exact=True)
    assert import_button.bounding_box()["width"] < 200


@pytest.mark.parametrize(
    "path", ["/", "/notes/", "/notes/import/", "/accounts/tokens/", "/search/?q=training"]
)
def test_no_page_scrolls_sideways_on_a_small_phone(page, live_server, seed_episode, path) -> None:
    make_user("ada")
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server, "ada", path)
    if path == "/accounts/tokens/":
        # The table and the token shown once are the widest things the page has.
        page.fill("#token-name", "laptop script")
        page.get_by_role("button", name="Make token").click()
        expect(page.locator("[data-tokens]")).to_be_visible()

    assert page.evaluate("() => document.documentElement.scrollWidth") == 320


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed out", "signed in"])
def test_every_page_has_a_footer_linking_the_docs_the_export_and_the_notes_source(
    page, live_server, seed_episode, signed_in
) -> None:
    make_user("ada")
    paths = ["/", seed_episode.get_absolute_url(), "/search/?q=training"]
    if signed_in:
        sign_in(page, live_server, "ada", "/")
        paths += ["/notes/", "/notes/import/", "/accounts/tokens/"]
    else:
        paths += ["/accounts/login/", "/accounts/signup/"]

    for path in paths:
        page.goto(f"{live_server.url}{path}")
        footer = page.locator("footer.site-footer")
        links = footer.get_by_role("link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert (path, hrefs) == (path, ["/api/docs", "/notes/export.jsonld", SOURCE_OF_THE_NOTES])
        export = footer.get_by_role("link", name="Export your notes")
        assert (path, export.get_attribute("download")) == (path, "" if signed_in else None)

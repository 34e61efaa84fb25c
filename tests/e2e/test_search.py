"""Browser test of search as you type on /search/: htmx swaps the results in place, the URL
follows the query, the back button brings the previous query's results back, and every hit
links to its episode at its second."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.ingest.importer import import_paths
from tests.search.conftest import BULLETS, TOKENIZERS

pytestmark = pytest.mark.e2e


@pytest.fixture
def search_page(page, live_server, transactional_db, tmp_path, traffic):
    (tmp_path / "tokenizers.md").write_text(TOKENIZERS, encoding="utf-8")
    (tmp_path / "bullets.md").write_text(BULLETS, encoding="utf-8")
    assert import_paths([tmp_path]).failed == 0
    page.goto(f"{live_server.url}/search/")
    # Set once per document: a full page load would lose it.
    page.evaluate("window.__searchPageLoads = (window.__searchPageLoads || 0) + 1")
    return page


def hit_links(page) -> list[str]:
    return page.locator("#search-results .search-hit a").evaluate_all(
        "(links) => links.map((link) => link.getAttribute('href'))"
    )


def test_typing_updates_results_and_url_and_back_restores_them(search_page, live_server) -> None:
    page = search_page
    box = page.get_by_role("searchbox")

    box.press_sequentially("chat mod", delay=30)

    expect(page).to_have_url(re.compile(r"/search/\?q=chat(\+|%20)mod$"))
    expect(page.locator("#search-results .search-hit")).to_have_count(2)
    expect(page.locator("#search-results mark")).to_have_text(["Chat", "models"])
    first_links = hit_links(page)
    assert all(re.fullmatch(r"/episodes/searchvid02/\?t=(10|20)#c\d+", h) for h in first_links)

    box.fill("brulee")

    expect(page).to_have_url(re.compile(r"/search/\?q=brulee$"))
    expect(page.locator("#search-results .search-hit")).to_have_count(1)
    [link] = hit_links(page)
    assert re.fullmatch(r"/episodes/searchvid01/\?t=75#c\d+", link)
    assert page.evaluate("window.__searchPageLoads") == 1  # no page load so far

    page.go_back()

    expect(page).to_have_url(re.compile(r"/search/\?q=chat(\+|%20)mod$"))
    expect(page.locator("#search-results .search-hit")).to_have_count(2)
    assert sorted(hit_links(page)) == sorted(first_links)
    expect(box).to_have_value("chat mod")

    page.locator("#search-results .search-hit a").first.click()

    expect(page).to_have_url(re.compile(r"/episodes/searchvid02/\?t=(10|20)#c\d+$"))

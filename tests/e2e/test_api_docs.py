from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_api_docs_render_every_operation_with_no_network(
    page, live_server, seed_episode, traffic
) -> None:
    page.goto(f"{live_server.url}/api/docs")

    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/episodes", "/api/episodes/{video_id}", "/api/claims", "/api/search"} <= {
        path.replace("\u200b", "") for path in paths
    }
    page.wait_for_load_state("networkidle")
    assert traffic.external() == []


def test_api_docs_try_it_out_reads_the_seed_episode(page, live_server, seed_episode) -> None:
    page.goto(f"{live_server.url}/api/docs")

    operation = page.locator("#operations-episodes-episode_detail")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='video_id']").fill(seed_episode.video_id)
    operation.get_by_role("button", name="Execute").click()

    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_have_text(
        "200"
    )
    expect(operation.locator(".live-responses-table")).to_contain_text("The Dwarkesh Podcast")


def test_api_docs_try_it_out_fills_in_a_realistic_note(page, live_server, seed_episode) -> None:
    page.goto(f"{live_server.url}/api/docs")

    operation = page.locator("#operations-annotations-annotation_create")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()

    body = json.loads(operation.locator("textarea.body-param__text").input_value())
    assert body == {
        "episode": "Wo95ob_s_NI",
        "claim_id": 4,
        "seconds": 754,
        "end_seconds": 790,
        "body": "The *base model* point again: compare with [the RL section](#rl) at 12:34.",
        "visibility": "private",
        "tags": ["rl", "to-check"],
    }


def test_api_docs_try_it_out_fills_in_a_search(page, live_server, seed_episode) -> None:
    page.goto(f"{live_server.url}/api/docs")

    operation = page.locator("#operations-search-search_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()

    expect(operation.locator("input[placeholder='q']")).to_have_value("base model")
    expect(operation.locator("input[placeholder='limit']")).to_have_value("20")


def test_api_docs_lead_back_to_the_site(page, live_server, seed_episode) -> None:
    page.goto(f"{live_server.url}/api/docs")

    page.get_by_role("link", name="Back to Seeknotes").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name=seed_episode.title)).to_be_visible()

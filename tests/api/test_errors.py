"""Every malformed request gets `{"detail": ...}` with its status: never HTML, never a 500."""

from __future__ import annotations

import json

import pytest

import apps.api.episodes
from tests.episodes.factories import make_episode

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int) -> object:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["detail"]
    return body["detail"]


def test_a_number_that_is_not_one_is_422_naming_the_parameter(client) -> None:
    detail = assert_json_error(client.get("/api/claims", {"at": "abc"}), 422)

    assert detail == [
        {
            "loc": ["query", "at"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "type": "int_parsing",
        }
    ]


@pytest.mark.parametrize(
    ("url", "where"),
    [
        ("/api/claims/abc", ["path", "claim_id"]),
        ("/api/claims/0", ["path", "claim_id"]),
        ("/api/claims/99999999999999999999", ["path", "claim_id"]),
        ("/api/episodes/not-a-video-id", ["path", "video_id"]),
        ("/api/claims?episode=short", ["query", "episode"]),
        ("/api/claims?at=-1", ["query", "at"]),
        ("/api/claims?start=1.5", ["query", "start"]),
        ("/api/claims?end=99999999999", ["query", "end"]),
        ("/api/episodes?limit=0", ["query", "limit"]),
        ("/api/episodes?offset=-1", ["query", "offset"]),
        ("/api/episodes?q=%00", ["query", "q"]),
        ("/api/search?q=", ["query", "q"]),
        (f"/api/search?q={'x' * 201}", ["query", "q"]),
    ],
)
def test_a_malformed_parameter_is_422_naming_it(client, url: str, where: list[str]) -> None:
    detail = assert_json_error(client.get(url), 422)

    assert [issue["loc"] for issue in detail] == [where]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/episodes/AAAAAAAAAAA", "No episode AAAAAAAAAAA."),
        ("/api/episodes?channel=nobody", "No channel 'nobody'."),
        ("/api/claims?episode=AAAAAAAAAAA", "No episode AAAAAAAAAAA."),
        ("/api/claims/123456789", "No claim 123456789."),
    ],
)
def test_naming_something_that_does_not_exist_is_404(client, url: str, message: str) -> None:
    assert assert_json_error(client.get(url), 404) == message


@pytest.mark.parametrize("url", ["/api/nothing-here", "/api/episodes/", "/api/claims/1/extra"])
def test_an_unknown_url_under_api_is_a_json_404(client, url: str) -> None:
    assert assert_json_error(client.get(url), 404) == "Not Found"


def test_a_method_the_url_does_not_take_is_405_with_allow(client) -> None:
    response = client.delete("/api/claims")

    assert assert_json_error(response, 405) == "Method Not Allowed"
    assert response["Allow"] == "GET"
    # A path that takes two methods names both.
    allowed = client.delete("/api/episodes")["Allow"]
    assert sorted(allowed.split(", ")) == ["GET", "POST"]


def test_a_body_that_is_not_json_is_415(client) -> None:
    response = client.post("/api/episodes", "limit=5", content_type="text/plain")

    assert assert_json_error(response, 415) == "Send the request body as application/json."


def test_a_body_over_100_kb_is_413_before_it_is_read(client) -> None:
    body = json.dumps({"body": "x" * 101 * 1024})

    response = client.post("/api/episodes", body, content_type="application/json")

    assert assert_json_error(response, 413) == "The request body is over 100 KB."


def test_an_unexpected_error_is_a_json_500_not_a_page(client, monkeypatch) -> None:
    def broken(episode):
        raise RuntimeError("a bug")

    make_episode(video_id="brokenVideo")
    monkeypatch.setattr(apps.api.episodes, "episode_tree", broken)

    response = client.get("/api/episodes/brokenVideo")

    assert assert_json_error(response, 500) == "Internal server error."


def test_a_request_for_a_host_not_served_is_a_json_400(client) -> None:
    response = client.get("/api/episodes", HTTP_HOST="evil.example")

    assert assert_json_error(response, 400) == "Bad Request"


def test_pages_outside_the_api_keep_their_html_errors(client) -> None:
    response = client.get("/episodes/AAAAAAAAAAA/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")

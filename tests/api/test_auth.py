"""A request that sends credentials must send good ones, on every route of the API."""

from __future__ import annotations

import json
import re

import pytest

from apps.api.site import api
from apps.episodes.models import Claim, Timestamp
from tests.annotations.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def get_routes(seed_episode) -> list[str]:
    """Every GET route of the schema, its path parameters filled with things that exist."""
    claim = Claim.objects.filter(article__episode=seed_episode).first()
    values = {
        "video_id": seed_episode.video_id,
        "claim_id": claim.pk,
        "annotation_id": 1,
        "import_id": 1,
        "timestamp_id": Timestamp.objects.filter(claim__article__episode=seed_episode).first().pk,
    }
    paths = [path for path, ops in api.get_openapi_schema()["paths"].items() if "get" in ops]
    return [re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path) for path in paths]


def assert_refused(response, path: str) -> None:
    assert response.status_code == 401, (path, response.status_code)
    assert "token" in response.json()["detail"], path
    assert response["WWW-Authenticate"] == 'Bearer realm="api"', path


def test_a_wrong_token_is_401_on_every_read_route(client, seed_episode) -> None:
    routes = get_routes(seed_episode)
    assert len(routes) >= 7  # the schema was read, not an empty list
    for path in routes:
        client.get(path)  # a kept answer must not be served to a bad token either
        assert_refused(client.get(path, headers={"Authorization": "Bearer wrong"}), path)


def test_a_revoked_token_is_401_on_every_read_route(client, seed_episode) -> None:
    make_user("ada")
    body = {"username": "ada", "password": PASSWORD, "name": "laptop"}
    made = client.post("/api/tokens", json.dumps(body), content_type="application/json")
    key = made.json()["token"]
    headers = {"Authorization": f"Bearer {key}"}
    assert client.delete("/api/tokens/laptop", headers=headers).status_code == 204

    for path in get_routes(seed_episode):
        assert_refused(client.get(path, headers=headers), path)


def test_a_wrong_token_is_401_on_the_documentation_too(client) -> None:
    for path in ("/api/docs", "/api/openapi.json"):
        assert_refused(client.get(path, headers={"Authorization": "Bearer wrong"}), path)


def test_no_token_still_reads(client, seed_episode) -> None:
    for path in get_routes(seed_episode):
        response = client.get(path)
        if path.startswith("/api/imports/"):  # an import's progress is its importer's alone
            assert_refused(response, path)
            continue
        assert response.status_code in {200, 404, 422}, path  # a search needs its q
        assert "WWW-Authenticate" not in response, path

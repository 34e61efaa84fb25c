"""`/api/annotations…`: the rules of the annotations service, reached over HTTP."""

from __future__ import annotations

import json
from itertools import count

import pytest
from django.test import Client

from apps.accounts.tokens import api_token_create
from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode

from .conftest import SEED_VIDEO_ID

pytestmark = pytest.mark.django_db

_tokens = count(1)

OBJECTIVE_TEXT = (
    "To imitate the vast content available on the internet, including websites and code. The "
    'model learns to predict the next "token" (words or parts of words) given previous tokens. '
    "This is framed as maximizing the log probability of the data."
)


def bearer(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name=f"token-{next(_tokens)}")
    return {"Authorization": f"Bearer {key}"}


def post_json(client, url: str, data: object, **kwargs):
    return client.post(url, json.dumps(data), content_type="application/json", **kwargs)


def patch_json(client, url: str, data: object, **kwargs):
    return client.patch(url, json.dumps(data), content_type="application/json", **kwargs)


@pytest.fixture
def objective(seed_episode) -> Claim:
    return Claim.objects.get(article__episode=seed_episode, label="Objective", position=3)


def test_a_note_on_a_claim_sits_at_its_first_timestamp_and_is_private(client, objective) -> None:
    ada = make_user("ada")

    response = post_json(
        client,
        "/api/annotations",
        {"episode": SEED_VIDEO_ID, "claim_id": objective.pk, "body": "Imitation *first*."},
        headers=bearer(ada),
    )

    assert response.status_code == 201
    note = response.json()
    assert {key: note[key] for key in note if key not in {"id", "created", "updated"}} == {
        "episode": SEED_VIDEO_ID,
        "claim_id": objective.pk,
        "seconds": 69,
        "body": "Imitation *first*.",
        "body_html": "<p>Imitation <em>first</em>.</p>\n",
        "visibility": "private",
        "author": "ada",
        "quote": OBJECTIVE_TEXT,
        "end_seconds": None,
        "tags": [],
        "parent": None,
        "replies": 0,
    }
    assert Annotation.objects.get(pk=note["id"]).author == ada
    assert note["created"] == note["updated"]


def test_a_note_at_a_moment_keeps_its_seconds_and_may_be_public(client, objective) -> None:
    response = post_json(
        client,
        "/api/annotations",
        {"episode": SEED_VIDEO_ID, "seconds": 100, "body": "Here", "visibility": "public"},
        headers=bearer(make_user()),
    )

    assert response.status_code == 201
    assert (response.json()["seconds"], response.json()["visibility"]) == (100, "public")
    # The service attaches it to the claim being spoken at 100 s.
    assert response.json()["claim_id"] == objective.pk


def test_writing_without_auth_is_401(client, objective) -> None:
    note = make_annotation(make_user(), claim=objective, visibility="public")
    create = post_json(client, "/api/annotations", {"episode": SEED_VIDEO_ID, "body": "x"})
    change = patch_json(client, f"/api/annotations/{note.pk}", {"body": "y"})
    remove = client.delete(f"/api/annotations/{note.pk}")

    for response in (create, change, remove):
        assert response.status_code == 401
        assert response.json() == {
            "detail": "Send a token (Authorization: Bearer <token>) or sign in."
        }
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Annotation.objects.get(pk=note.pk).body == "A note"


def test_a_revoked_or_unknown_token_is_401_even_to_read(client, seed_episode) -> None:
    response = client.get("/api/annotations", headers={"Authorization": "Bearer nonsense"})

    assert response.status_code == 401
    assert response.json() == {"detail": "This token is not valid (or has been revoked)."}


def test_someone_elses_private_note_is_404_to_read_change_or_delete(client, objective) -> None:
    private = make_annotation(make_user(), claim=objective)
    headers = bearer(make_user())
    url = f"/api/annotations/{private.pk}"

    responses = [
        client.get(url, headers=headers),
        patch_json(client, url, {"body": "mine now"}, headers=headers),
        client.delete(url, headers=headers),
    ]

    assert [(r.status_code, r.json()) for r in responses] == [
        (404, {"detail": f"No annotation {private.pk}."})
    ] * 3


def test_someone_elses_public_note_is_readable_and_403_to_change(client, objective) -> None:
    public = make_annotation(make_user("grace"), claim=objective, visibility="public")
    headers = bearer(make_user())
    url = f"/api/annotations/{public.pk}"

    read = client.get(url)  # anyone, even without a token
    change = patch_json(client, url, {"visibility": "private"}, headers=headers)
    remove = client.delete(url, headers=headers)

    assert read.status_code == 200
    assert (read.json()["author"], read.json()["body"]) == ("grace", "A note")
    assert (change.status_code, change.json()) == (
        403,
        {"detail": "Only its author may change a note."},
    )
    assert remove.status_code == 403
    assert Annotation.objects.get(pk=public.pk).visibility == "public"


def test_the_author_changes_and_deletes_their_note(client, objective) -> None:
    ada = make_user()
    headers = bearer(ada)
    note = make_annotation(ada, claim=objective)
    url = f"/api/annotations/{note.pk}"

    changed = patch_json(client, url, {"body": "Sharper", "visibility": "public"}, headers=headers)
    only_body = patch_json(client, url, {"body": "Sharper still"}, headers=headers)
    deleted = client.delete(url, headers=headers)

    assert (changed.json()["body"], changed.json()["visibility"]) == ("Sharper", "public")
    assert (only_body.json()["body"], only_body.json()["visibility"]) == (
        "Sharper still",
        "public",
    )
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert client.get(url, headers=headers).status_code == 404


def test_the_list_shows_public_notes_and_your_own_private_ones(client, objective) -> None:
    ada, grace = make_user("ada"), make_user("grace")
    make_annotation(ada, claim=objective, body="ada private")
    make_annotation(grace, claim=objective, body="grace public", visibility="public")
    make_annotation(grace, claim=objective, body="grace private")

    def bodies(**kwargs) -> list[str]:
        response = client.get("/api/annotations", **kwargs)
        assert response.status_code == 200
        return sorted(item["body"] for item in response.json()["items"])

    assert bodies() == ["grace public"]
    assert bodies(headers=bearer(ada)) == ["ada private", "grace public"]
    assert bodies(data={"mine": "true"}, headers=bearer(ada)) == ["ada private"]


def test_the_list_filters_by_episode_and_claim(client, objective) -> None:
    ada = make_user()
    elsewhere = make_claim(make_article(make_episode(video_id="elsewhere01")), seconds=[5])
    on_objective = make_annotation(ada, claim=objective, visibility="public")
    make_annotation(ada, claim=elsewhere, visibility="public")

    by_episode = client.get("/api/annotations", {"episode": SEED_VIDEO_ID}).json()
    by_claim = client.get("/api/annotations", {"claim": objective.pk}).json()

    assert [item["id"] for item in by_episode["items"]] == [on_objective.pk]
    assert [item["id"] for item in by_claim["items"]] == [on_objective.pk]
    assert by_episode["count"] == by_claim["count"] == 1


def test_mine_without_auth_is_401(client, db) -> None:
    response = client.get("/api/annotations", {"mine": "true"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Send a token (or sign in) to list your own notes."}


def test_the_session_works_with_the_csrf_header_and_is_403_without(objective) -> None:
    ada = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    client.get("/accounts/tokens/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    body = {"episode": SEED_VIDEO_ID, "claim_id": objective.pk, "body": "From the page"}

    refused = post_json(client, "/api/annotations", body)
    accepted = post_json(client, "/api/annotations", body, headers={"X-CSRFToken": token})

    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken."
    }
    assert accepted.status_code == 201
    assert accepted.json()["author"] == ada.username


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        (
            # Empty, it would be a bookmark; but a bookmark marks a moment, and this has none.
            {"episode": SEED_VIDEO_ID, "body": "   "},
            422,
            [{"loc": ["body", "body"], "msg": "Write something first.", "type": "required"}],
        ),
        (
            {"episode": SEED_VIDEO_ID, "body": "x", "seconds": True},
            422,
            [
                {
                    "loc": ["body", "seconds"],
                    "msg": "Input should be a whole number",
                    "type": "int_type",
                }
            ],
        ),
        (
            {"episode": SEED_VIDEO_ID, "body": "x", "colour": "red"},
            422,
            [
                {
                    "loc": ["body", "colour"],
                    "msg": "Extra inputs are not permitted",
                    "type": "extra_forbidden",
                }
            ],
        ),
        ({"episode": "AAAAAAAAAAA", "body": "x"}, 404, "No episode AAAAAAAAAAA."),
        (
            {"episode": SEED_VIDEO_ID, "claim_id": 999999, "body": "x"},
            404,
            f"Episode {SEED_VIDEO_ID} has no claim 999999.",
        ),
    ],
)
def test_a_bad_note_is_refused_with_a_reason(client, seed_episode, body, status, detail) -> None:
    response = post_json(client, "/api/annotations", body, headers=bearer(make_user()))

    assert (response.status_code, response.json()) == (status, {"detail": detail})
    assert not Annotation.objects.exists()


def test_a_body_too_costly_to_render_is_422_naming_the_body_on_create_and_change(client) -> None:
    claim = make_claim(make_article(make_episode(video_id="costly00001")), seconds=[5])
    author = make_user()
    note = make_annotation(author, claim=claim, body="Fine")
    refused = {
        "detail": [
            {
                "loc": ["body", "body"],
                "msg": 'A note may hold up to 200 opening brackets "[" (links and images '
                "included); this one has 5,000.",
                "type": "too_costly",
            }
        ]
    }

    created = post_json(
        client,
        "/api/annotations",
        {"episode": "costly00001", "claim_id": claim.pk, "body": "![" * 5000},
        headers=bearer(author),
    )
    changed = patch_json(
        client, f"/api/annotations/{note.pk}", {"body": "![" * 5000}, headers=bearer(author)
    )

    assert (created.status_code, created.json()) == (422, refused)
    assert (changed.status_code, changed.json()) == (422, refused)
    assert list(Annotation.objects.values_list("body", flat=True)) == ["Fine"]


def test_a_claim_of_another_episode_is_404(client, seed_episode) -> None:
    elsewhere = make_claim(make_article(make_episode(video_id="elsewhere01")), seconds=[5])

    response = post_json(
        client,
        "/api/annotations",
        {"episode": SEED_VIDEO_ID, "claim_id": elsewhere.pk, "body": "x"},
        headers=bearer(make_user()),
    )

    assert response.status_code == 404


def test_invalid_json_is_400_and_another_content_type_415(client, seed_episode) -> None:
    headers = bearer(make_user())

    broken = client.post(
        "/api/annotations", '{"body": ', content_type="application/json", headers=headers
    )
    form = client.post(
        "/api/annotations",
        "episode=Wo95ob_s_NI&body=x",
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )

    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("Cannot parse request body")
    assert (form.status_code, form.json()) == (
        415,
        {"detail": "Send the request body as application/json."},
    )


def test_a_body_over_100_kb_is_413(client, seed_episode) -> None:
    response = post_json(
        client,
        "/api/annotations",
        {"episode": SEED_VIDEO_ID, "body": "x" * 101 * 1024},
        headers=bearer(make_user()),
    )

    assert (response.status_code, response.json()) == (
        413,
        {"detail": "The request body is over 100 KB."},
    )

"""Web Annotations through the REST API: content negotiation on one note, and the import."""

from __future__ import annotations

import copy
import json

import pytest

from apps.accounts.tokens import api_token_create
from apps.annotations.models import Annotation
from apps.exports.annotation_import import MAX_IMPORT_BYTES
from apps.exports.web_annotation import ANNOTATION_MEDIA_TYPE, EXPORT_CONTEXT

from .test_web_annotations import as_restored, exported
from .w3c_annotation_suite import Suite, failed_assertions

IMPORT_URL = "/api/annotations/import"


def bearer(user, name: str = "test") -> dict[str, str]:
    _, key = api_token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_import(client, document, **headers):
    body = document if isinstance(document, str | bytes) else json.dumps(document)
    return client.post(IMPORT_URL, body, content_type="application/ld+json", **headers)


# One note, negotiated


def test_the_web_annotation_profile_gets_a_w3c_annotation(client, notes, suite: Suite) -> None:
    reader, mine = notes
    client.force_login(reader)

    response = client.get(f"/api/annotations/{mine[0].pk}", HTTP_ACCEPT=ANNOTATION_MEDIA_TYPE)

    assert response.status_code == 200
    assert response["Content-Type"] == ANNOTATION_MEDIA_TYPE
    assert "Accept" in response["Vary"]
    document = json.loads(response.content)
    assert document["@context"] == EXPORT_CONTEXT
    assert document["id"] == f"http://testserver/api/annotations/{mine[0].pk}"
    assert document["type"] == "Annotation"
    video, page = document["target"]
    assert video["selector"]["value"] == "t=69"
    assert page["selector"] == {"type": "TextQuoteSelector", "exact": "The claim's own words"}
    assert document["body"]["items"][0]["value"] == "On a **claim** <script>x</script>"
    assert failed_assertions(document, suite.musts("annotations")) == []


@pytest.mark.parametrize(
    "accept",
    ["application/ld+json", 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"'],
)
def test_plain_json_ld_also_gets_the_annotation(client, notes, accept: str) -> None:
    reader, mine = notes
    client.force_login(reader)

    response = client.get(f"/api/annotations/{mine[1].pk}", HTTP_ACCEPT=accept)

    assert response["Content-Type"] == ANNOTATION_MEDIA_TYPE
    assert json.loads(response.content)["target"][0]["selector"]["value"] == "t=3725"


@pytest.mark.parametrize("accept", ["", "application/json", "*/*", "application/ld+json;profile=x"])
def test_other_accept_headers_get_the_apis_own_json(client, notes, accept: str) -> None:
    reader, mine = notes
    client.force_login(reader)

    response = client.get(f"/api/annotations/{mine[0].pk}", HTTP_ACCEPT=accept)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Accept" in response["Vary"]
    assert json.loads(response.content)["body"] == "On a **claim** <script>x</script>"


def test_someone_elses_private_note_stays_hidden_in_json_ld(client, notes) -> None:
    _, mine = notes
    other = Annotation.objects.exclude(author=mine[0].author).get()

    as_anyone = client.get(f"/api/annotations/{other.pk}", HTTP_ACCEPT=ANNOTATION_MEDIA_TYPE)
    private = client.get(f"/api/annotations/{mine[0].pk}", HTTP_ACCEPT=ANNOTATION_MEDIA_TYPE)

    assert as_anyone.status_code == 200  # theirs is public
    assert json.loads(as_anyone.content)["creator"]["nickname"] == "other"
    assert private.status_code == 404
    assert json.loads(private.content) == {"detail": f"No annotation {mine[0].pk}."}


# The import


def test_an_export_imports_back_through_the_api(client, notes) -> None:
    reader, mine = notes
    collection = exported(client, reader)
    client.logout()
    before = as_restored(mine)
    Annotation.objects.filter(author=reader).delete()

    response = post_import(client, collection, **bearer(reader))

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "created": 5,
        "already_there": 0,
        "skipped": 0,
        "not_saved": 0,
        "unknown_videos": [],
        "detail": "5 notes imported.",
    }
    restored = as_restored(Annotation.objects.filter(author=reader))
    # As on the upload page, the detached note lands on the claim spoken at its time.
    assert restored.pop("Detached")[1] == mine[0].claim_id
    before.pop("Detached")
    assert restored == before


def test_importing_twice_through_the_api_adds_nothing(client, notes) -> None:
    reader, mine = notes
    collection = exported(client, reader)
    client.logout()

    first = post_import(client, collection, **bearer(reader))
    second = post_import(client, collection, **bearer(reader, "again"))

    assert json.loads(first.content)["already_there"] == 5
    assert json.loads(second.content)["created"] == 0
    assert Annotation.objects.filter(author=reader).count() == len(mine)


def test_notes_on_unknown_videos_are_skipped_and_named(client, notes) -> None:
    reader, _ = notes
    collection = exported(client, reader)
    client.logout()
    elsewhere = copy.deepcopy(collection["first"]["items"][1])
    elsewhere["target"][0]["source"] = "https://www.youtube.com/watch?v=notHere0001"
    elsewhere["body"]["items"][0]["value"] = "Somewhere else"
    collection["first"]["items"] = [elsewhere]

    response = post_import(client, collection, **bearer(reader))

    assert json.loads(response.content)["skipped"] == 1
    assert json.loads(response.content)["unknown_videos"] == ["notHere0001"]
    assert not Annotation.objects.filter(body="Somewhere else").exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda c: c.update(type="AnnotationPage"), ["body", "type"]),
        (lambda c: c["first"]["items"][0].update(target="https://example.com/"), ["body"]),
        (lambda c: c["first"]["items"][0]["body"]["items"][0].update(value="  "), ["body"]),
        (lambda c: c["first"]["items"][0].update(bodyValue="an unknown member"), ["body"]),
        (lambda c: c["first"]["items"][1]["target"][0]["selector"].update(value="t=x"), ["body"]),
        (lambda c: c["first"].pop("items"), ["body", "first", "items"]),
    ],
)
def test_a_malformed_collection_is_refused_whole(client, notes, change, where) -> None:
    reader, _ = notes
    collection = exported(client, reader)
    client.logout()
    Annotation.objects.filter(author=reader).delete()
    change(collection)

    response = post_import(client, collection, **bearer(reader))

    assert response.status_code == 422
    locations = [issue["loc"][: len(where)] for issue in json.loads(response.content)["detail"]]
    assert where in locations
    assert Annotation.objects.filter(author=reader).count() == 0


def test_a_note_the_service_refuses_leaves_nothing_imported(client, notes, monkeypatch) -> None:
    reader, _ = notes
    collection = exported(client, reader)
    client.logout()
    Annotation.objects.filter(author=reader).delete()
    monkeypatch.setattr("apps.annotations.services.MAX_BODY_LENGTH", 12)

    response = post_import(client, collection, **bearer(reader))

    assert response.status_code == 422
    issue = json.loads(response.content)["detail"][0]
    assert issue["loc"] == ["body"]
    assert issue["msg"].startswith("Nothing was imported. Annotation 1: Keep it to 12 characters")
    assert Annotation.objects.filter(author=reader).count() == 0


def test_the_import_needs_a_token_or_a_session_with_csrf(client, notes) -> None:
    reader, _ = notes
    collection = exported(client, reader)
    client.logout()
    Annotation.objects.filter(author=reader).delete()

    anonymous = post_import(client, collection)
    client.force_login(reader)
    client.handler.enforce_csrf_checks = True
    without_csrf = post_import(client, collection)

    assert anonymous.status_code == 401
    assert without_csrf.status_code == 403
    assert Annotation.objects.filter(author=reader).count() == 0


def test_a_large_collection_is_accepted_and_an_oversized_one_refused(client, notes) -> None:
    reader, _ = notes
    collection = exported(client, reader)
    client.logout()
    note = collection["first"]["items"][1]
    many = [copy.deepcopy(note) for _ in range(400)]
    for number, item in enumerate(many):
        item["body"]["items"][0]["value"] = f"Note {number} " + "x" * 300
        item["target"][0]["selector"]["value"] = f"t={number}"
    collection["first"]["items"] = many
    body = json.dumps(collection)
    assert 100 * 1024 < len(body) < MAX_IMPORT_BYTES

    accepted = post_import(client, body, **bearer(reader))
    oversized = post_import(client, " " * (MAX_IMPORT_BYTES + 1), **bearer(reader, "two"))

    assert accepted.status_code == 200
    assert json.loads(accepted.content)["created"] == 400
    assert oversized.status_code == 413
    assert json.loads(oversized.content) == {"detail": "The request body is over 5,120 KB."}

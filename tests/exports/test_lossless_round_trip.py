"""Exports that lose nothing (issue 18): ranges, tags, bookmarks, replies, visibility and
times go out as W3C Web Annotations and come back in exactly, and idempotently."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create, annotation_delete, mark_moment
from apps.exports.annotation_import import annotations_import
from apps.exports.web_annotation import EXPORT_CONTEXT
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode

from .w3c_annotation_suite import Suite, failed_assertions

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode():
    episode = make_episode(video_id="roundtrip01", title="Round trip")
    episode.duration_seconds = 96 * 60
    episode.save()
    article = make_article(episode)
    make_claim(article, text="Early words", seconds=[60])
    make_claim(article, text="Later words", seconds=[750])
    return episode


@pytest.fixture
def ada_notes(episode):
    """Ada's notes of every new shape, dated apart; and Bob's public note, which she answers."""
    ada, bob = make_user("ada"), make_user("bob")
    theirs = annotation_create(
        author=bob, episode=episode, seconds=70, body="Bob's point", visibility="public"
    )
    top = annotation_create(
        author=ada,
        episode=episode,
        seconds=754,
        end_seconds=790,
        body="A clip about #RL",
        tags=["to-read"],
        visibility="public",
    )
    mine = [
        top,
        mark_moment(ada, episode, 800),
        annotation_create(author=ada, episode=episode, body="Own reply", parent=top.pk),
        annotation_create(
            author=ada, episode=episode, body="Answering Bob", parent=theirs.pk, visibility="public"
        ),
    ]
    for days, note in enumerate(mine, start=1):
        created = datetime(2026, 1, days, 12, 0, 0, 123456, tzinfo=UTC)
        Annotation.objects.filter(pk=note.pk).update(
            created=created, updated=created.replace(hour=13)
        )
    return ada, bob, theirs


def exported(client, user) -> dict:
    client.force_login(user)
    response = client.get("/notes/export.jsonld")
    assert response.status_code == 200
    return json.loads(response.content)


def snapshot(user) -> list[tuple]:
    """Everything of a person's notes an import must restore; replies by their parent's body."""
    notes = Annotation.objects.filter(author=user, deleted=False).select_related("parent")
    return sorted(
        (
            note.body,
            note.seconds,
            note.end_seconds,
            note.claim.text if note.claim else None,
            tuple(note.tag_names),
            note.visibility,
            note.created,
            note.updated,
            note.parent.body if note.parent else None,
        )
        for note in notes
    )


def by_body(collection: dict) -> dict[str, dict]:
    items = collection["first"]["items"]
    return {
        (item["body"][0] if isinstance(item.get("body"), list) else item.get("body", {})).get(
            "items", [{"value": ""}]
        )[0]["value"]: item
        for item in items
    }


def test_the_export_carries_ranges_tags_replies_visibility_and_times(
    client, ada_notes, suite: Suite
) -> None:
    ada, _, theirs = ada_notes
    collection = exported(client, ada)
    items = by_body(collection)

    assert collection["@context"] == EXPORT_CONTEXT
    clip = items["A clip about #RL"]
    assert clip["motivation"] == "commenting"
    assert clip["visibility"] == "public"
    assert clip["created"] == "2026-01-01T12:00:00.123456Z"
    assert clip["modified"] == "2026-01-01T13:00:00.123456Z"
    assert clip["body"][1:] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "to-read"},
        {"type": "TextualBody", "purpose": "tagging", "value": "rl"},
    ]
    video = clip["target"][0]
    assert video["selector"] == {
        "type": "FragmentSelector",
        "conformsTo": "http://www.w3.org/TR/media-frags/",
        "value": "t=754,790",
    }
    bookmark = items[""]
    assert (bookmark["motivation"], "body" in bookmark) == ("bookmarking", False)
    assert bookmark["visibility"] == "private"
    reply = items["Own reply"]
    assert reply["motivation"] == "replying"
    assert reply["target"][0] == clip["id"]
    assert items["Answering Bob"]["target"][0] == f"http://testserver/api/annotations/{theirs.pk}"
    failures = {
        item["id"]: failed_assertions(
            {"@context": collection["@context"], **item}, suite.musts("annotations")
        )
        for item in collection["first"]["items"]
    }
    assert failures == {item["id"]: [] for item in collection["first"]["items"]}


def test_importing_ones_own_export_after_deleting_everything_restores_it_exactly(
    client, ada_notes
) -> None:
    ada, _, theirs = ada_notes
    before = snapshot(ada)
    data = json.dumps(exported(client, ada))
    for note in Annotation.objects.filter(author=ada).order_by("-created"):
        annotation_delete(annotation=note, actor=ada)
    assert snapshot(ada) == []

    report = annotations_import(author=ada, data=data)

    assert report.created == 4
    assert snapshot(ada) == before
    answer = Annotation.objects.get(author=ada, body="Answering Bob")
    assert answer.parent_id == theirs.pk
    again = annotations_import(author=ada, data=data)
    assert (again.created, again.already_there) == (0, 4)
    assert snapshot(ada) == before


def test_someone_elses_file_becomes_the_importers_private_notes(client, ada_notes) -> None:
    ada, bob, _ = ada_notes
    data = json.dumps(exported(client, ada))
    before = timezone_now()

    report = annotations_import(author=bob, data=data)

    assert report.created == 4
    imported = Annotation.objects.filter(author=bob).exclude(body="Bob's point")
    assert sorted(note.body for note in imported) == [
        "(from ada)",
        "A clip about #RL\n\n(from ada)",
        "Answering Bob\n\n(from ada)",
        "Own reply\n\n(from ada)",
    ]
    assert {note.visibility for note in imported} == {"private"}
    assert all(note.created >= before for note in imported)
    clip = imported.get(body__startswith="A clip")
    assert (clip.seconds, clip.end_seconds, clip.tag_names) == (754, 790, ["to-read", "rl"])
    assert annotations_import(author=bob, data=data).created == 0


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_the_api_gives_one_note_with_its_range_tags_and_parent(client, ada_notes) -> None:
    ada, _, theirs = ada_notes
    client.force_login(ada)
    note = Annotation.objects.get(body="Answering Bob")
    accept = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'

    document = client.get(f"/api/annotations/{note.pk}", HTTP_ACCEPT=accept).json()

    assert document["motivation"] == "replying"
    assert document["target"][0] == f"http://testserver/api/annotations/{theirs.pk}"
    assert document["visibility"] == "public"


def test_the_api_import_takes_the_export_back(client, ada_notes) -> None:
    from apps.accounts.tokens import api_token_create

    ada, _, _ = ada_notes
    data = exported(client, ada)
    before = snapshot(ada)
    for note in Annotation.objects.filter(author=ada).order_by("-created"):
        annotation_delete(annotation=note, actor=ada)
    _, key = api_token_create(user=ada, name="import")

    response = client.post(
        "/api/annotations/import",
        json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 4
    assert snapshot(ada) == before


@pytest.mark.parametrize(
    "odd",
    [
        {"motivation": {}},
        {"motivation": [["replying"]], "target": ["urn:x:1"]},
        {"creator": [{"nickname": {}}], "visibility": ["public"], "created": 5},
        {"created": "yesterday", "modified": {"at": 1}},
        {"body": [{"type": "TextualBody", "purpose": {}, "value": "x"}]},
    ],
)
def test_odd_members_of_other_tools_annotations_are_read_or_refused_never_a_500(
    episode, odd
) -> None:
    item = {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Hello"},
        "target": [{"source": "https://www.youtube.com/watch?v=roundtrip01", "type": "Video"}],
    }
    for key, value in odd.items():
        if key == "target":
            item["target"] = [*value, *item["target"]]
        else:
            item[key] = value
    reader = make_user("reader")

    report = annotations_import(author=reader, data=json.dumps([item]))

    note = Annotation.objects.get(author=reader)
    assert (report.created, note.visibility, note.parent_id) == (1, "private", None)

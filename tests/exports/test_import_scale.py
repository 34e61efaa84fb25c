"""The notes import stays bounded: a cap on notes, and queries that grow per batch, not per note."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Annotation
from apps.exports.annotation_import import MAX_NOTES, annotations_import
from apps.search.queries import search
from tests.annotations.factories import make_user
from tests.episodes.factories import make_article, make_claim, make_episode


def annotation(video_id: str, seconds: int, body: str, quote: str = "") -> dict:
    target: list = [
        {
            "source": f"https://www.youtube.com/watch?v={video_id}",
            "selector": {"type": "FragmentSelector", "value": f"t={seconds}"},
        }
    ]
    if quote:
        target.append(
            {
                "source": "https://example.com/e",
                "selector": {"type": "TextQuoteSelector", "exact": quote},
            }
        )
    return {"type": "Annotation", "bodyValue": body, "target": target}


def collection(items: list[dict]) -> str:
    page = {"type": "AnnotationPage", "items": items}
    return json.dumps({"type": "AnnotationCollection", "total": len(items), "first": page})


def test_the_page_refuses_more_notes_than_the_api_takes_and_writes_nothing(client, db) -> None:
    episode = make_episode(video_id="capped00001")
    reader = make_user("reader")
    client.force_login(reader)
    items = [annotation(episode.video_id, n, f"note {n}") for n in range(MAX_NOTES + 1)]
    data = collection(items).encode()

    response = client.post("/notes/import/", {"file": SimpleUploadedFile("n.jsonld", data)})

    assert response.status_code == 400
    assert f"holds {MAX_NOTES + 1:,} notes; up to {MAX_NOTES:,} are imported at once" in (
        response.content.decode()
    )
    assert "Nothing was imported." in response.content.decode()
    assert not Annotation.objects.exists()


def import_counting_queries(reader, items: list[dict]) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = annotations_import(author=reader, data=collection(items))
    assert report.created == len(items)
    return len(queries)


def test_the_queries_of_an_import_grow_with_its_batches_not_its_notes(db) -> None:
    episodes = [make_episode(video_id=f"scaled0000{n}") for n in range(2)]
    for episode in episodes:
        article = make_article(episode)
        make_claim(article, text="Quoted words", seconds=[30])
        make_claim(article, text="Later words", seconds=[90])
    reader = make_user("reader")

    def items(count: int, tag: str) -> list[dict]:
        return [
            annotation(
                episodes[n % 2].video_id, n % 120, f"{tag} {n}", "Quoted words" if n % 3 else ""
            )
            for n in range(count)
        ]

    few = import_counting_queries(reader, items(50, "few"))
    many = import_counting_queries(reader, items(500, "many"))

    assert many <= few + 3 * 10  # 500 notes are 3 batches of 200, 50 notes one
    claims = dict(Annotation.objects.filter(body="many 31").values_list("claim__text", "seconds"))
    assert claims == {"Quoted words": 31}
    assert Annotation.objects.get(body="many 93").claim.text == "Later words"
    assert Annotation.objects.get(body="many 33").claim.text == "Quoted words"
    assert Annotation.objects.get(body="many 3").claim is None  # before any claim is said


def test_a_note_repeated_within_one_file_is_imported_once(db) -> None:
    episode = make_episode(video_id="repeated001")
    reader = make_user("reader")
    same = annotation(episode.video_id, 5, "Twice in the file")

    report = annotations_import(author=reader, data=collection([same, same]))

    assert (report.created, report.already_there) == (1, 1)
    assert Annotation.objects.filter(author=reader).count() == 1


def test_imported_notes_are_found_by_search_like_notes_written_one_by_one(db) -> None:
    episode = make_episode(video_id="searched001", title="Searched")
    reader = make_user("reader")
    items = [annotation(episode.video_id, 7, "Zeppelins overhead"), annotation("x" * 11, 1, "y")]

    annotations_import(author=reader, data=collection(items))

    note = Annotation.objects.get(author=reader)
    assert [hit[2] for hit in search("zeppelins", user=reader).ranked()] == [note.pk]
    assert search("zeppelins", user=make_user("other")).ranked() == []
    assert note.created == note.updated

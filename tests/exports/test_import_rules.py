"""The notes import holds a note to the rules a note written by hand is held to, and a
database error part way keeps what was written and says so, instead of a server error."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from apps.annotations.models import Annotation
from apps.exports.annotation_import import BATCH_SIZE, ImportRefused, annotations_import
from tests.annotations.factories import make_user
from tests.episodes.factories import make_episode
from tests.exports.test_import_scale import annotation, collection

pytestmark = pytest.mark.django_db


def test_a_note_past_the_end_of_its_episode_is_refused_and_nothing_is_written() -> None:
    episode = make_episode(video_id="ends0at0600")
    episode.duration_seconds = 600
    episode.save()
    items = [annotation(episode.video_id, 10, "early"), annotation(episode.video_id, 999999, "x")]

    with pytest.raises(ImportRefused) as refused:
        annotations_import(author=make_user("reader"), data=collection(items))

    assert str(refused.value) == (
        "Annotation 2: A moment is between 0:00 and 10:00 into the episode."
    )
    assert not Annotation.objects.exists()


def test_a_note_past_a_day_is_refused_when_the_episode_length_is_unknown(client) -> None:
    episode = make_episode(video_id="nolength001")
    client.force_login(make_user("reader"))
    data = collection([annotation(episode.video_id, 100_000, "far")]).encode()

    response = client.post("/notes/import/", {"file": SimpleUploadedFile("n.jsonld", data)})

    assert response.status_code == 400, re.findall(
        r"Nothing was imported[^<]*", response.content.decode()
    )
    assert re.findall(r"Nothing was imported[^<]*", response.content.decode()) == [
        "Nothing was imported. Annotation 1: A moment is between 0:00 and 24:00:00 into the "
        "episode."
    ]
    assert not Annotation.objects.exists()


@contextmanager
def database_refusing_body(body: str):
    """A real trigger in the real database: inserting a note with `body` fails."""
    table = Annotation._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_note() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.body = '{body}' THEN RAISE EXCEPTION 'refused by the test'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_note BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_note()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_note BEFORE INSERT ON {table} "
                f"WHEN NEW.body = '{body}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER refuse_note ON {table}")
                cursor.execute("DROP FUNCTION refuse_note()")
            else:
                cursor.execute("DROP TRIGGER refuse_note")


def items_with_a_poisoned_second_batch(video_id: str) -> list[dict]:
    items = [annotation(video_id, n, f"note {n}") for n in range(BATCH_SIZE * 2)]
    items[BATCH_SIZE + 5] = annotation(video_id, BATCH_SIZE + 5, "poison")
    return items


def test_a_database_error_in_a_later_batch_keeps_the_earlier_ones_and_says_so(client) -> None:
    episode = make_episode(video_id="poisoned001")
    client.force_login(make_user("reader"))
    data = collection(items_with_a_poisoned_second_batch(episode.video_id)).encode()

    with database_refusing_body("poison"):
        response = client.post("/notes/import/", {"file": SimpleUploadedFile("n.jsonld", data)})

    page = response.content.decode()
    assert response.status_code == 200
    assert Annotation.objects.count() == BATCH_SIZE
    assert f"{BATCH_SIZE} notes imported" in page
    assert f"{BATCH_SIZE} could not be saved" in page
    assert "importing the file again adds only those." in page


def test_the_api_reports_a_database_error_part_way_as_a_partial_import(client) -> None:
    episode = make_episode(video_id="poisoned002")
    client.force_login(make_user("reader"))
    items = items_with_a_poisoned_second_batch(episode.video_id)
    for item in items:  # the API takes a body object, as exports write it
        item["body"] = {"type": "TextualBody", "value": item.pop("bodyValue")}
        [item["target"]] = item["target"]
    body = collection(items)

    with database_refusing_body("poison"):
        response = client.post("/api/annotations/import", body, content_type="application/json")

    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["created"], report["not_saved"]) == (BATCH_SIZE, BATCH_SIZE)
    assert report["detail"].startswith(f"{BATCH_SIZE} notes imported; {BATCH_SIZE} could not")
    assert Annotation.objects.count() == BATCH_SIZE

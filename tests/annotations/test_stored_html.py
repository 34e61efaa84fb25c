"""A note's HTML is rendered when it is written and stored; showing it renders nothing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as installed_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import apps.annotations.models as annotation_models
from apps.accounts.tokens import api_token_create
from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create, annotation_update
from apps.exports.annotation_import import ImportRefused, annotations_import_document

from .factories import make_annotation, make_user

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("apps.annotations.migrations.0006_render_existing_bodies")


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every body the notes' model renders from now on."""
    rendered: list[str] = []
    real = annotation_models.render_markdown

    def counting(body: str):
        rendered.append(body)
        return real(body)

    monkeypatch.setattr(annotation_models, "render_markdown", counting)
    return rendered


@pytest.fixture
def transactions_open_while_rendering(monkeypatch) -> list[int]:
    """For each body rendered from now on, how many transactions more than now were open."""
    depths: list[int] = []
    real = annotation_models.render_markdown
    outside = len(connection.atomic_blocks)

    def watching(body: str):
        depths.append(len(connection.atomic_blocks) - outside)
        return real(body)

    monkeypatch.setattr(annotation_models, "render_markdown", watching)
    return depths


def stored_html(note: Annotation) -> str:
    return Annotation.objects.values_list("body_html", flat=True).get(pk=note.pk)


def test_a_note_written_by_the_service_stores_its_sanitised_html(talk) -> None:
    note = annotation_create(
        author=make_user(), episode=talk.episode, claim=talk.opening, body="*Hm* <b>x</b>"
    )

    assert stored_html(note) == "<p><em>Hm</em> &lt;b&gt;x&lt;/b&gt;</p>\n"


def test_pages_api_and_exports_show_notes_without_rendering_markdown(client, talk, renders) -> None:
    reader = make_user("reader")
    mine = make_annotation(reader, claim=talk.opening, body="Mine, *private*")
    public = make_annotation(
        make_user(), claim=talk.middle, body="Theirs, **public**", visibility="public"
    )
    loose = make_annotation(reader, episode=talk.episode, seconds=5, body="Loose _one_")
    renders.clear()
    client.force_login(reader)
    _, key = api_token_create(user=reader, name="reading")
    api = {"Authorization": f"Bearer {key}"}
    web_annotation = {"Accept": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'}

    page = client.get(talk.episode.get_absolute_url()).content.decode()
    shown = [
        client.get(f"/notes/{mine.pk}/").content.decode(),
        client.get("/notes/").content.decode(),
        client.get(f"/api/annotations/{public.pk}", headers=api).json()["body_html"],
        client.get(f"/api/annotations/{loose.pk}", headers={**api, **web_annotation}).content,
        client.get("/notes/export.jsonld").content,
    ]

    assert renders == []
    assert "<p>Mine, <em>private</em></p>" in page
    assert "<p>Theirs, <strong>public</strong></p>" in page
    assert "<p>Loose <em>one</em></p>" in page
    assert "<p>Mine, <em>private</em></p>" in shown[0]
    assert "<p>Loose <em>one</em></p>" in shown[1]
    assert shown[2] == "<p>Theirs, <strong>public</strong></p>\n"
    assert b"<p>Loose <em>one</em></p>" in shown[3]
    assert b"<p>Mine, <em>private</em></p>" in shown[4]


def test_a_new_body_is_rendered_again_and_a_visibility_change_renders_nothing(
    talk, renders
) -> None:
    author = make_user()
    note = annotation_create(author=author, episode=talk.episode, claim=talk.opening, body="a")

    annotation_update(annotation=note, actor=author, body="**b**")
    annotation_update(annotation=note, actor=author, visibility="public")

    assert renders == ["a", "**b**"]
    assert note.body_html == stored_html(note) == "<p><strong>b</strong></p>\n"


def test_notes_are_rendered_before_the_transaction_that_writes_them(
    talk, transactions_open_while_rendering
) -> None:
    # SQLite takes its one write lock when a transaction begins: no writer waits for Markdown.
    author = make_user()
    note = annotation_create(author=author, episode=talk.episode, claim=talk.opening, body="a")
    annotation_update(annotation=note, actor=author, body="*b*")
    annotations_import_document(
        author=author, document=[web_annotation("c"), web_annotation("d"), web_annotation("c")]
    )

    assert transactions_open_while_rendering == [0, 0, 0, 0]
    assert dict(Annotation.objects.values_list("body", "body_html")) == {
        "*b*": "<p><em>b</em></p>\n",
        "c": "<p>c</p>\n",
        "d": "<p>d</p>\n",
    }


def test_every_orm_write_of_a_body_writes_its_html(talk) -> None:
    author = make_user()
    [created] = Annotation.objects.bulk_create(
        [Annotation(author=author, episode=talk.episode, body="*one*")]
    )
    created.body = "*two*"
    Annotation.objects.bulk_update([created], ["body"])

    assert stored_html(created) == "<p><em>two</em></p>\n"
    with pytest.raises(TypeError, match="with its HTML"):
        Annotation.objects.filter(pk=created.pk).update(body="three")


def test_the_admin_refuses_a_body_over_the_rendering_budget(talk) -> None:
    note = Annotation(author=make_user(), episode=talk.episode, body="![" * 5000)

    with pytest.raises(Exception) as refused:
        note.full_clean()

    assert refused.value.message_dict["body"] == [
        'A note may hold up to 200 opening brackets "[" (links and images included); '
        "this one has 5,000."
    ]


def web_annotation(body: str) -> dict:
    return {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": body, "format": "text/markdown"},
        "target": {"source": "https://www.youtube.com/watch?v=talk0000001"},
    }


def test_imported_notes_store_their_html_and_a_costly_body_refuses_the_file(talk) -> None:
    author = make_user()
    annotations_import_document(author=author, document=web_annotation("An *imported* note"))

    with pytest.raises(ImportRefused) as refused:
        annotations_import_document(
            author=author, document=[web_annotation("fine"), web_annotation("[" * 10000)]
        )

    assert str(refused.value) == (
        'Annotation 2: A note may hold up to 200 opening brackets "[" (links and images '
        "included); this one has 10,000."
    )
    assert list(Annotation.objects.values_list("body", "body_html")) == [
        ("An *imported* note", "<p>An <em>imported</em> note</p>\n")
    ]


def test_the_migration_renders_every_note_written_before_html_was_stored(talk, monkeypatch) -> None:
    author = make_user()
    notes = [make_annotation(author, claim=talk.opening, body=f"*{n}*") for n in range(5)]
    legacy = make_annotation(author, claim=talk.opening, body="ok")
    # As the rows stood before the field existed: the state the migration starts from.
    before = MigrationLoader(connection).project_state(("annotations", "0005_body_html_stored"))
    old_model = before.apps.get_model("annotations", "Annotation")
    old_model.objects.update(body_html="")
    old_model.objects.filter(pk=legacy.pk).update(body="![" * 5000)
    monkeypatch.setattr(fill_migration, "BATCH_SIZE", 2)

    fill_migration.render_existing_bodies(before.apps, None)

    stored = dict(Annotation.objects.values_list("pk", "body_html"))
    assert [stored[note.pk] for note in notes] == [f"<p><em>{n}</em></p>\n" for n in range(5)]
    assert stored[legacy.pk] == f"<p>{'![' * 5000}</p>"
    assert installed_apps.get_model("annotations", "Annotation") is Annotation

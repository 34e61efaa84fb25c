"""Every note's document holds the words a reader sees, no longer its Markdown source.

Notes written before were indexed with their Markdown source: a link's address and Markdown's
syntax were words of the note. Rewritten in batches by primary key, so that memory stays
flat however many notes there are; an update keeps each database's full-text index in step
(SQLite's triggers, PostgreSQL's generated vector). The text comes from each note's stored
HTML, which annotations' migration 0006 has filled.
"""

from django.db import migrations

from apps.annotations.rendering import plain_text
from apps.reader.words import index_text

BATCH_SIZE = 500


def index_notes_by_their_text(apps, schema_editor) -> None:
    Annotation = apps.get_model("annotations", "Annotation")
    SearchDocument = apps.get_model("search", "SearchDocument")
    last_pk = 0
    while True:
        batch = list(
            Annotation.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "body_html")[
                :BATCH_SIZE
            ]
        )
        if not batch:
            return
        for annotation_id, body_html in batch:
            text = index_text(plain_text(body_html))
            SearchDocument.objects.filter(annotation_id=annotation_id).exclude(body=text).update(
                body=text
            )
        last_pk = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_render_existing_bodies"),
        ("search", "0007_one_document_per_annotation"),
    ]

    operations = [
        migrations.RunPython(index_notes_by_their_text, migrations.RunPython.noop, elidable=True),
    ]

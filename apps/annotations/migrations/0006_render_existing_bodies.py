"""Every note written before the HTML was stored gets it now, rendered as a save renders it.

In batches by primary key, so that memory stays flat however many notes there are. A body over
today's rendering budget is stored as plain paragraphs (`render_markdown` decides), so that no
old note can make this migration, or a page, slow.
"""

from django.db import migrations

from apps.annotations.rendering import render_markdown

BATCH_SIZE = 500


def render_existing_bodies(apps, schema_editor) -> None:
    Annotation = apps.get_model("annotations", "Annotation")
    last_pk = 0
    while True:
        batch = list(
            Annotation.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "body")[
                :BATCH_SIZE
            ]
        )
        if not batch:
            return
        for annotation in batch:
            annotation.body_html = render_markdown(annotation.body)
        Annotation.objects.bulk_update(batch, ["body_html"])
        last_pk = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_body_html_stored"),
    ]

    operations = [
        migrations.RunPython(render_existing_bodies, migrations.RunPython.noop, elidable=True),
    ]

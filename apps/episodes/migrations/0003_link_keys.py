from django.db import migrations, models

from apps.reader.slugs import link_key

BATCH = 1000


def backfill_keys(apps, schema_editor):
    """Give existing articles and links their keys; `manage.py resolve_links` then links them."""
    for model_name, source, key in (
        ("Article", "slug", "link_key"),
        ("Link", "target_slug", "target_key"),
    ):
        model = apps.get_model("episodes", model_name)
        rows = model.objects.only("pk", source).order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=BATCH):
            setattr(row, key, link_key(getattr(row, source)))
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_update(batch, [key])
                batch = []
        model.objects.bulk_update(batch, [key])


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0002_content_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="link_key",
            field=models.CharField(blank=True, db_index=True, max_length=300),
        ),
        migrations.AddField(
            model_name="link",
            name="target_key",
            field=models.CharField(blank=True, db_index=True, max_length=300),
        ),
        migrations.RunPython(backfill_keys, migrations.RunPython.noop, elidable=True),
    ]

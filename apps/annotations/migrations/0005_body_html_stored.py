import django.db.models
from django.db import migrations

import apps.annotations.models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0004_index_for_the_imports_duplicate_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="body_html",
            field=django.db.models.TextField(default="", editable=False),
        ),
        migrations.AlterField(
            model_name="annotation",
            name="body",
            field=django.db.models.TextField(
                max_length=10000, validators=[apps.annotations.models.validate_renderable]
            ),
        ),
    ]

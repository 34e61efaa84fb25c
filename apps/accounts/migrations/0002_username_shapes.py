# Each account's username shape, kept so that a look-alike check is one indexed lookup.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def shape_existing_usernames(apps, schema_editor):
    from django.contrib.auth import get_user_model

    from apps.accounts.usernames import skeleton

    name_field = get_user_model().USERNAME_FIELD  # historical models do not carry it
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    shape_model = apps.get_model("accounts", "UsernameShape")
    users = user_model.objects.order_by("pk").values_list("pk", name_field)
    shapes = [shape_model(user_id=pk, shape=skeleton(name)) for pk, name in users.iterator()]
    shape_model.objects.bulk_create(shapes, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UsernameShape",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shape", models.CharField(db_index=True, max_length=600)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="username_shape", to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.RunPython(shape_existing_usernames, migrations.RunPython.noop),
    ]

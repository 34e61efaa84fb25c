"""A timestamp's episode is indexed once, by the (episode, seconds) index.

Every lookup of an episode's timestamps (and the check of the foreign key when an episode is
deleted) reads the leading column of that index; the episode's own index was a second copy
that each of an import's timestamps had to be written into. Dropped by name rather than by
altering the field, which on SQLite would copy the whole table.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "episodes_timestamp_episode_id_146478b2"  # the name Django gave it in 0001


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0007_unlisted_added_episodes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX "{INDEX}" ON "episodes_timestamp" ("episode_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="timestamp",
                    name="episode",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="timestamps",
                        to="episodes.episode",
                    ),
                ),
            ],
        ),
    ]

"""Claims are indexed by (article, key); articles by (link key, channel); links are not
indexed by the slug they name.

Every lookup of a claim by its key is within its article (carrying notes and corrections over
on re-import), so one index on both replaces the two on each. The old index on the key took
each imported claim at a random place, as keys are digests; the new one, led by the article,
takes an import's claims in order. Nothing looks a link up by its slug as written (links are
matched by `target_key`). Resolving links looks an article up by its link key in the linking
article's channel: with the key alone indexed, SQLite (without statistics after a first import)
chose the channel's index and read every article of the channel for each link. Dropped by name rather than by altering the fields, which on SQLite
would copy the whole table.
"""

import django.db.models.deletion
from django.db import migrations, models

# The names Django gave them in 0001 and 0003.
CLAIM_ARTICLE = "episodes_claim_article_id_93a061c2"
CLAIM_KEY = "episodes_claim_key_950a218d"
LINK_TARGET_SLUG = "episodes_link_target_slug_29e09dfe"
ARTICLE_LINK_KEY = "episodes_article_link_key_ab75f99b"


def _drop(name: str, table: str, column: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
    )


# PostgreSQL also gave each indexed text column a second index, for LIKE.
PATTERN_INDEXES = [
    (f"{CLAIM_KEY}_like", "episodes_claim", "key"),
    (f"{LINK_TARGET_SLUG}_like", "episodes_link", "target_slug"),
    (f"{ARTICLE_LINK_KEY}_like", "episodes_article", "link_key"),
]


def _drop_pattern_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, _, _ in PATTERN_INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _create_pattern_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, table, column in PATTERN_INDEXES:
            schema_editor.execute(
                f'CREATE INDEX "{name}" ON "{table}" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("episodes", "0008_timestamp_episode_index_once"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["article", "key"], name="episodes_claim_article_key"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["link_key", "channel"], name="episodes_article_link_channel"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                _drop(ARTICLE_LINK_KEY, "episodes_article", "link_key"),
                _drop(CLAIM_ARTICLE, "episodes_claim", "article_id"),
                _drop(CLAIM_KEY, "episodes_claim", "key"),
                _drop(LINK_TARGET_SLUG, "episodes_link", "target_slug"),
                migrations.RunPython(_drop_pattern_indexes, _create_pattern_indexes),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claims",
                        to="episodes.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="key",
                    field=models.CharField(max_length=40),
                ),
                migrations.AlterField(
                    model_name="article",
                    name="link_key",
                    field=models.CharField(blank=True, max_length=300),
                ),
                migrations.AlterField(
                    model_name="link",
                    name="target_slug",
                    field=models.CharField(max_length=300),
                ),
            ],
        ),
    ]

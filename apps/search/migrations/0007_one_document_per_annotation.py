"""At most one search document per note, where the database can hold it.

SQLite: a unique index on the note's id (claims' documents have none). PostgreSQL's
documents are partitioned by a hash of their own id (migration 0006), and a unique
constraint on a partitioned table must include that key, so it cannot say "one per note";
there `indexing.index_annotation` writes a note's document under the note's row lock,
deleting before inserting, which keeps it to one.
"""

from django.db import migrations

INDEX = "search_searchdocument_one_per_annotation"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE UNIQUE INDEX {INDEX} ON search_searchdocument (annotation_id) "
            "WHERE annotation_id IS NOT NULL"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgresql_partitioned_documents")]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]

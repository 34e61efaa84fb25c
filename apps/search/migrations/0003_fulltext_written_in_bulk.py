"""SQLite: the writers fill the FTS5 table in bulk, one statement per batch of documents.

A trigger fired for every inserted row costs FTS5 three times as much as one
INSERT … SELECT for the whole batch (`indexing._insert`). Deletes and updates, which only
re-imports and renames make, keep their triggers.
"""

from django.db import migrations

CREATE_TRIGGER = """
    CREATE TRIGGER search_document_inserted AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, label, body)
        VALUES (new.id, new.title, new.label, new.body);
    END
"""


def drop_insert_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_document_inserted")
        # 0002 indexed existing content with this file's writers while the trigger was there.
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def create_insert_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(drop_insert_trigger, create_insert_trigger)]

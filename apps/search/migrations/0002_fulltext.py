"""The full-text index itself, which differs by database.

SQLite: an FTS5 table over search_searchdocument (external content), kept in step by
triggers on it. PostgreSQL: a stored, weighted tsvector column with a GIN index. Both read
text already normalised in Python (`apps/search/text.py`), so they split on spaces only and
agree on every script. Existing content is indexed once here.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, label, body,
        content='search_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2 categories 'L* N* M*'",
        prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER search_document_inserted AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, label, body)
        VALUES (new.id, new.title, new.label, new.body);
    END
    """,
    """
    CREATE TRIGGER search_document_deleted AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, label, body)
        VALUES ('delete', old.id, old.title, old.label, old.body);
    END
    """,
    """
    CREATE TRIGGER search_document_updated AFTER UPDATE OF title, label, body
    ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, label, body)
        VALUES ('delete', old.id, old.title, old.label, old.body);
        INSERT INTO search_fts(rowid, title, label, body)
        VALUES (new.id, new.title, new.label, new.body);
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_document_updated",
    "DROP TRIGGER IF EXISTS search_document_deleted",
    "DROP TRIGGER IF EXISTS search_document_inserted",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A')
        || setweight(to_tsvector('simple'::regconfig, label), 'B')
        || setweight(to_tsvector('simple'::regconfig, body), 'D')
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})
    Article = apps.get_model("episodes", "Article")
    Annotation = apps.get_model("annotations", "Annotation")
    if Article.objects.exists() or Annotation.objects.exists():
        # The live indexing code: it reads only columns these migrations already have.
        from apps.search.indexing import rebuild_index

        rebuild_index()


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]

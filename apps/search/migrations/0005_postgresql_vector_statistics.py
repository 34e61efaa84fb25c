"""PostgreSQL: ANALYZE keeps ten times as many of the vector's most common words.

The planner estimates how many documents a prefix ("dis:*") matches from the words it
keeps statistics for. With the default 1,000 of them it guessed 14,754 of the 52,467 that
"dis:*" matches in the benchmark's corpus, and read the GIN index (18.6 ms) where a scan of
the table finds the first 501 matches in 2.6 ms. ANALYZE after a large import takes about
2.4 s instead of a fraction of it.
"""

from django.db import migrations

STATISTICS = 1000  # PostgreSQL keeps ten words per unit for a tsvector column


def set_statistics(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE search_searchdocument ALTER COLUMN vector "
                f"SET STATISTICS {target}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fulltext_pending_terms")]

    operations = [migrations.RunPython(set_statistics(STATISTICS), set_statistics(-1))]

"""PostgreSQL: the search documents are kept in eight partitions, by a hash of their id.

A query takes at most `MAX_HITS + 1` matches (`queries._ranked_documents`). On one table,
the GIN index hands PostgreSQL every match as one bitmap before the first row is read: a
prefix as someone types it ("ass", 19,935 matches in the benchmark's corpus) took 7-9 ms
however few rows were wanted, where SQLite's FTS5 stops at the 501st. Partitions are
scanned one after the other, each with its own index, and the scan stops as soon as 501
rows are found: a broad prefix now reads an eighth of its matches (the benchmark's search
p95: 6.5 ms -> 4.7 ms). A narrow query reads all eight indexes, a few hundredths of a millisecond each.

Hash partitions need no upkeep: new ids spread evenly over all of them. The id comes from
a sequence (PostgreSQL before 17 allows no identity column on a partitioned table), which
Django reads back as it did the identity. The statistics target of migration 0005 is
dropped: it only helped the planner to read a whole table for the broadest prefixes.
Reversing the migration builds the single table again.
"""

from django.db import migrations

TABLE = "search_searchdocument"
PARTITIONS = 8
MIGRATION_0005_STATISTICS = 1000


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(apps, schema_editor, partitions=PARTITIONS)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _rebuild(apps, schema_editor, partitions=0)
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STATISTICS {MIGRATION_0005_STATISTICS}"
        )


def _rebuild(apps, schema_editor, partitions: int) -> None:
    """The documents' table made again, partitioned or not, with its rows and indexes."""
    run = schema_editor.execute
    columns = ", ".join(
        schema_editor.quote_name(field.column)
        for field in apps.get_model("search", "SearchDocument")._meta.concrete_fields
    )  # every column but the generated vector
    with schema_editor.connection.cursor() as cursor:
        # The indexes to make again, as they are (the primary key's comes with its constraint).
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY i.indexrelid",
            [TABLE],
        )
        index_definitions = [definition for (definition,) in cursor.fetchall()]
    old = f"{TABLE}_before"
    run(f"ALTER TABLE {TABLE} RENAME TO {old}")
    by_hash = " PARTITION BY HASH (id)" if partitions else ""
    run(
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING CONSTRAINTS INCLUDING GENERATED "
        f"INCLUDING STORAGE){by_hash}"
    )
    for remainder in range(partitions):
        run(
            f"CREATE TABLE {TABLE}_{remainder} PARTITION OF {TABLE} "
            f"FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
        )
    run(f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {old} ORDER BY id")
    run(f"DROP TABLE {old}")  # with its indexes and the sequence of its ids
    run(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
    run(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
    run(f"SELECT setval('{TABLE}_id_seq', coalesce(max(id), 0) + 1, false) FROM {TABLE}")
    run(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
    for definition in index_definitions:
        run(definition)
    run(f"ANALYZE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgresql_vector_statistics")]

    operations = [migrations.RunPython(partition, unpartition)]

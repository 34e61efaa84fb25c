import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_unindexed_articles(apps, schema_editor):
    """Articles with claims but no search documents, as an interrupted import used to leave
    them: the next import finishes them (their links and documents)."""
    Article = apps.get_model("episodes", "Article")
    Claim = apps.get_model("episodes", "Claim")
    SearchDocument = apps.get_model("search", "SearchDocument")
    UnfinishedArticle = apps.get_model("ingest", "UnfinishedArticle")
    unindexed = (
        Article.objects.filter(Exists(Claim.objects.filter(article_id=OuterRef("pk"))))
        .exclude(Exists(SearchDocument.objects.filter(article_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    UnfinishedArticle.objects.bulk_create(
        [UnfinishedArticle(article_id=pk) for pk in unindexed.iterator()]
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("episodes", "0003_link_keys"),
        ("search", "0007_one_document_per_annotation"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnfinishedArticle",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="episodes.article",
                    ),
                ),
            ],
        ),
        migrations.RunPython(mark_unindexed_articles, migrations.RunPython.noop),
    ]

"""The search index: one row per searchable thing, in normalised words (`apps.reader.words`).

SQLite indexes these rows with an FTS5 table, PostgreSQL with a stored tsvector column and a
GIN index; both are created by this app's migrations, beside the table Django knows, and
written and read only through `backends`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.annotations.models import Annotation
from apps.episodes.models import Article, Claim, Episode


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim"
        ANNOTATION = "annotation"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # No database constraints: the importer replaces claims with raw deletes and rewrites
    # their documents itself in the same transaction (see `indexing.index_article`).
    claim = models.ForeignKey(
        Claim, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    annotation = models.ForeignKey(
        Annotation, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    seconds = models.PositiveIntegerField(null=True)
    # Who may see an annotation's document; claims are public.
    public = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    title = models.TextField(blank=True)  # episode and article titles
    label = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.claim_id or self.annotation_id}"

"""What an import run has left to finish, kept in the database so that a killed run's is too."""

from __future__ import annotations

from django.db import models

from apps.episodes.models import Article


class UnfinishedArticle(models.Model):
    """An article an import wrote whose links and search documents are not yet made.

    The mark is written in the transaction that writes the article, and deleted in the one
    that resolves its links and indexes it. A run killed in between leaves it here, and the
    next run finishes the article, even if that run writes nothing itself.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"article {self.article_id}, unfinished"

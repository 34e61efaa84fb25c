"""The marks on articles an import run has written but not yet finished (`UnfinishedArticle`).

A run marks each transaction's articles in that transaction, and clears the marks in the one
that resolves their links and indexes them; what a killed run left marked, the next finishes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from apps.ingest.models import UnfinishedArticle
from apps.ingest.rows import MAX_QUERY_PARAMETERS


def unfinished_article_ids() -> set[int]:
    return set(UnfinishedArticle.objects.values_list("article_id", flat=True))


def mark_unfinished(article_ids: Collection[int]) -> None:
    """One INSERT for them all; an article a killed run left marked stays marked once."""
    UnfinishedArticle.objects.bulk_create(
        [UnfinishedArticle(article_id=pk) for pk in article_ids], ignore_conflicts=True
    )


def mark_finished(article_ids: Iterable[int]) -> None:
    ids = sorted(article_ids)
    for start in range(0, len(ids), MAX_QUERY_PARAMETERS):
        UnfinishedArticle.objects.filter(
            article_id__in=ids[start : start + MAX_QUERY_PARAMETERS]
        ).delete()

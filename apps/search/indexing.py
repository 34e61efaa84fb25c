"""Keeping the search index in step with every write.

ORM writes (episodes and articles renamed, claims edited in the admin, annotations written or
deleted) reach the index through the signal receivers below. The importer writes claims with
plain INSERTs and raw deletes, so it calls `index_article` at the end of each file's
transaction instead. Deletions cascade to documents through Django's collector.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.annotations.models import Annotation
from apps.episodes.models import Article, Claim, Episode, Timestamp

from .models import SearchDocument
from .text import index_text

_COLUMNS = (
    "kind",
    "claim_id",
    "annotation_id",
    "article_id",
    "episode_id",
    "seconds",
    "public",
    "author_id",
    "title",
    "label",
    "body",
)
_BATCH = 500


def claim_title(episode_title: str, article_title: str) -> str:
    return index_text(episode_title, article_title)


def index_article(article_id: int) -> None:
    """(Re)write the documents of an article's claims: call after replacing its claims."""
    SearchDocument.objects.filter(article_id=article_id)._raw_delete(connection.alias)
    first_second = (
        Timestamp.objects.filter(claim=OuterRef("pk")).order_by("position").values("seconds")[:1]
    )
    claims = (
        Claim.objects.filter(article_id=article_id)
        .annotate(first_second=Subquery(first_second))
        .values_list(
            "pk",
            "label",
            "text",
            "first_second",
            "article__title",
            "article__episode_id",
            "article__episode__title",
        )
        .order_by()
    )
    rows = []
    title = None
    for pk, label, text, seconds, article_title, episode_id, episode_title in claims:
        if title is None:
            title = claim_title(episode_title, article_title)
        rows.append(
            (
                "claim",
                pk,
                None,
                article_id,
                episode_id,
                seconds,
                True,
                None,
                title,
                index_text(label),
                index_text(text),
            )
        )
    _insert(rows)


def index_annotation(annotation: Annotation) -> None:
    SearchDocument.objects.filter(annotation_id=annotation.pk)._raw_delete(connection.alias)
    episode_title = (
        Episode.objects.filter(pk=annotation.episode_id).values_list("title", flat=True).first()
    )
    _insert(
        [
            (
                "annotation",
                None,
                annotation.pk,
                None,
                annotation.episode_id,
                annotation.seconds,
                annotation.visibility == Annotation.Visibility.PUBLIC,
                annotation.author_id,
                index_text(episode_title or ""),
                "",
                index_text(annotation.body),
            )
        ]
    )


def retitle_episode(episode: Episode) -> None:
    """An episode's title is part of every one of its documents."""
    documents = SearchDocument.objects.filter(episode_id=episode.pk)
    title = index_text(episode.title)
    documents.filter(kind="annotation").exclude(title=title).update(title=title)
    for article_id, article_title in episode.articles.values_list("pk", "title"):
        title = claim_title(episode.title, article_title)
        documents.filter(article_id=article_id).exclude(title=title).update(title=title)


def rebuild_index() -> int:
    """Index everything again from scratch; returns the number of documents."""
    with transaction.atomic():
        SearchDocument.objects.all()._raw_delete(connection.alias)
        for article_id in Article.objects.values_list("pk", flat=True).iterator():
            index_article(article_id)
        for annotation in Annotation.objects.iterator():
            index_annotation(annotation)
    return SearchDocument.objects.count()


def _insert(rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in _COLUMNS)
    one_row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            chunk = rows[start : start + _BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one_row] * len(chunk))}",
                [value for row in chunk for value in row],
            )


@receiver(post_save, sender=Episode)
def _episode_saved(sender, instance: Episode, created: bool, **kwargs) -> None:
    if not created:
        retitle_episode(instance)


@receiver(post_save, sender=Article)
def _article_saved(sender, instance: Article, created: bool, **kwargs) -> None:
    if not created:
        title = claim_title(instance.episode.title, instance.title)
        SearchDocument.objects.filter(article_id=instance.pk).exclude(title=title).update(
            title=title
        )


@receiver(post_save, sender=Claim)
def _claim_saved(sender, instance: Claim, **kwargs) -> None:
    index_article(instance.article_id)


@receiver(post_save, sender=Annotation)
def _annotation_saved(sender, instance: Annotation, **kwargs) -> None:
    index_annotation(instance)


@receiver(post_delete, sender=Annotation)
def _annotation_deleted(sender, instance: Annotation, **kwargs) -> None:
    SearchDocument.objects.filter(annotation_id=instance.pk)._raw_delete(connection.alias)

"""Keeping the search index in step with every write.

ORM writes (episodes and articles renamed, claims edited in the admin, annotations written or
deleted) reach the index through the signal receivers below. The importer writes claims with
plain INSERTs and raw deletes, so it calls `index_article` for each file instead, inside
`indexing_in_batches()`: each file's transaction only drops the article's old documents, and
once every file is written (and channel pages have given episodes their titles) the articles
are indexed in one transaction, `BATCH_ARTICLES` at a time, a few statements each (one query,
one delete, one insert), a fraction of the cost of indexing file by file. Until then a new
article is not found; the articles of an import killed before then are given to the next
one's batch (the importer keeps them marked). Deletions cascade to documents through Django's
collector.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from apps.annotations.models import Annotation
from apps.annotations.rendering import plain_text
from apps.episodes.models import Article, Claim, Episode, Timestamp
from apps.reader.words import index_text
from apps.search.backends import get_backend
from apps.search.models import SearchDocument

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
BATCH_ARTICLES = 500  # per query, well under any parameter limit
# Indexing more than this share of all articles builds the documents' indexes anew, once.
BULK_SHARE = 0.5

_batch: ContextVar[IndexBatch | None] = ContextVar("search_index_batch", default=None)


def claim_title(episode_title: str, article_title: str) -> str:
    return index_text(episode_title, article_title)


def index_article(
    article_id: int, claim_words: dict[int, tuple[str, str]] | None = None, *, new: bool = False
) -> None:
    """(Re)write the documents of an article's claims: call after replacing its claims.

    `claim_words` may give, by claim id, the label and text as `index_text` makes them,
    when the caller has them already (the importer's parsing workers make them). A `new`
    article, inserted in this transaction, has no documents to drop.
    """
    batch = _batch.get()
    if batch is None:
        index_articles([article_id], claim_words)
        return
    if new:
        # Ids are never reused (a sequence, SQLite's AUTOINCREMENT): a statement per file saved.
        batch.add([article_id], claim_words)
        return
    # The old documents name claims this transaction deletes: they go with them. Should the
    # transaction roll back, indexing the article again at the end is harmless.
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {documents} WHERE article_id = %s", [article_id])
    batch.add([article_id], claim_words)


def index_articles(
    article_ids: Iterable[int], claim_words: dict[int, tuple[str, str]] | None = None
) -> None:
    """(Re)write the documents of these articles' claims, a few statements for all of them.

    Articles are written in a scattered order, not one channel's after another: a query for
    a channel's name matches every document of that channel (titles are part of each), and
    a scan that stops at the first matches finds them soon only if they are spread out.
    """
    article_ids = sorted(article_ids, key=_scattered)
    chunks = [
        article_ids[start : start + BATCH_ARTICLES]
        for start in range(0, len(article_ids), BATCH_ARTICLES)
    ]
    if article_ids and len(article_ids) > BULK_SHARE * Article.objects.count():
        _index_in_bulk(chunks, claim_words or {})
        return
    for chunk in chunks:
        SearchDocument.objects.filter(article_id__in=chunk)._raw_delete(connection.alias)
        _insert(_claim_documents(chunk, claim_words or {}))


def _index_in_bulk(chunks: list[list[int]], claim_words: dict[int, tuple[str, str]]) -> None:
    """Most of the documents written again: their indexes are built once, after the rows
    (see `SearchBackend.writing_in_bulk`). The old documents go first, found by their index."""
    # No savepoint of its own (see `IndexBatch.index`): a failure fails the caller's transaction.
    with transaction.atomic(savepoint=False):
        for chunk in chunks:
            SearchDocument.objects.filter(article_id__in=chunk)._raw_delete(connection.alias)
        with get_backend().writing_in_bulk():
            for chunk in chunks:
                _insert(_claim_documents(chunk, claim_words))


def _scattered(article_id: int) -> int:
    # Knuth's multiplicative hash: a fixed order unrelated to the ids' own.
    return (article_id * 2654435761) % 2**32


def _claim_documents(
    article_ids: list[int], claim_words: dict[int, tuple[str, str]]
) -> Iterator[tuple]:
    first_second = (
        Timestamp.objects.filter(claim=OuterRef("pk")).order_by("position").values("seconds")[:1]
    )
    claims = (
        Claim.objects.filter(article_id__in=article_ids)
        .annotate(first_second=Subquery(first_second))
        .values_list(
            "pk",
            "label",
            "text",
            "first_second",
            "article_id",
            "article__title",
            "article__episode_id",
            "article__episode__title",
        )
        .order_by()
    )
    titles: dict[int, str] = {}
    for pk, label, text, seconds, article_id, article_title, episode_id, episode_title in claims:
        title = titles.get(article_id)
        if title is None:
            title = titles[article_id] = claim_title(episode_title, article_title)
        words = claim_words.get(pk)
        label, text = words if words is not None else (index_text(label), index_text(text))
        yield (
            "claim",
            pk,
            None,
            article_id,
            episode_id,
            seconds,
            True,
            None,
            title,
            label,
            text,
        )


class IndexBatch:
    """Articles to index together, at the end of an import run (see `indexing_in_batches`)."""

    def __init__(self) -> None:
        self.article_ids: dict[int, None] = {}  # an ordered set
        self.claim_words: dict[int, tuple[str, str]] = {}

    def add(
        self, article_ids: Iterable[int], claim_words: dict[int, tuple[str, str]] | None = None
    ) -> None:
        self.article_ids.update(dict.fromkeys(article_ids))
        if claim_words:
            self.claim_words.update(claim_words)

    def index(self) -> None:
        """Index the articles gathered so far, within the caller's transaction if it has one."""
        if not self.article_ids:
            return
        article_ids = list(self.article_ids)
        # One transaction: a full-text index may write its pending terms out at every commit
        # and savepoint, and merging many small pieces costs more than the inserts.
        with transaction.atomic():
            index_articles(article_ids, self.claim_words)
        self.article_ids.clear()
        self.claim_words.clear()
        if len(article_ids) >= BATCH_ARTICLES:
            # Once committed: statistics taken before would not see the new documents.
            transaction.on_commit(get_backend().refresh_statistics)


@contextmanager
def indexing_in_batches(article_ids: Iterable[int] = ()) -> Iterator[IndexBatch]:
    """Within it, articles given to `index_article` are not indexed at once but gathered,
    with `article_ids`, and indexed together by the batch's `index()`, or else as it ends."""
    batch = IndexBatch()
    batch.add(article_ids)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
        batch.index()


def index_annotation(annotation: Annotation) -> None:
    """Write the note's one document from the note as committed, not as `annotation` holds it.

    The note's row is locked and read again first: two edits at once each index after their
    own write, and whichever indexes last sees both; the row lock also keeps two writers from
    each deleting and then inserting, which would leave two documents. (PostgreSQL's documents
    are partitioned by id, where no unique constraint on the note can hold; SQLite has one.)
    """
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        SearchDocument.objects.filter(annotation_id=annotation.pk)._raw_delete(connection.alias)
        if current is None or current.deleted:  # deleted meanwhile, or kept for its replies
            return
        episode_title = (
            Episode.objects.filter(pk=current.episode_id).values_list("title", flat=True).first()
        )
        _insert([_annotation_document(current, episode_title or "")])


def index_new_annotations(annotations: Sequence[Annotation]) -> None:
    """Index notes written (by bulk_create, which sends no signal) in the caller's transaction.

    One insert for all of them. No lock or delete as in `index_annotation`: notes not yet
    committed have no documents and nobody else can be editing them. Each note's `episode`
    must be loaded, as its title is part of the document.
    """
    _insert(_annotation_document(note, note.episode.title) for note in annotations)


def _annotation_document(annotation: Annotation, episode_title: str) -> tuple:
    return (
        "annotation",
        None,
        annotation.pk,
        None,
        annotation.episode_id,
        annotation.seconds,
        annotation.visibility == Annotation.Visibility.PUBLIC,
        annotation.author_id,
        index_text(episode_title),
        "",
        # The words a reader sees: a link's address or Markdown's syntax finds nothing.
        index_text(plain_text(annotation.body_html)),
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
        index_articles(Article.objects.values_list("pk", flat=True))
        _insert(
            _annotation_document(annotation, annotation.episode.title)
            for annotation in Annotation.objects.select_related("episode").iterator()
        )
    return SearchDocument.objects.count()


def _insert(rows: Iterable[tuple]) -> None:
    # Read every row first: they come from queries on this connection, which can run nothing
    # else while a backend streams rows to the database (a COPY).
    rows = list(rows)
    if not rows:
        return
    # No savepoint of its own (see `IndexBatch.index`): a failure fails the caller's transaction.
    with transaction.atomic(savepoint=False):
        get_backend().insert_documents(_COLUMNS, rows)


@receiver(post_save, sender=Episode)
def _episode_saved(sender, instance: Episode, created: bool, update_fields, **kwargs) -> None:
    if created or (update_fields is not None and "title" not in update_fields):
        return
    episodes_retitled([instance])


def episodes_retitled(episodes: Sequence[Episode]) -> None:
    """Title these episodes' documents anew; call after changing their titles (a bulk UPDATE
    sends no signal). Within an import's batch, the notes' documents at once and the articles'
    with the batch; else every document at once."""
    batch = _batch.get()
    if batch is None:
        for episode in episodes:
            retitle_episode(episode)
        return
    documents = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {documents} SET title = %s "
            "WHERE episode_id = %s AND kind = 'annotation' AND title <> %s",
            [
                (title, episode.pk, title)
                for episode in episodes
                for title in [index_text(episode.title)]
            ],
        )
    episode_ids = [episode.pk for episode in episodes]
    for start in range(0, len(episode_ids), BATCH_ARTICLES):
        chunk = episode_ids[start : start + BATCH_ARTICLES]
        batch.add(Article.objects.filter(episode_id__in=chunk).values_list("pk", flat=True))


@receiver(post_save, sender=Article)
def _article_saved(sender, instance: Article, created: bool, **kwargs) -> None:
    batch = _batch.get()
    if batch is not None:
        batch.add([instance.pk])
    elif not created:
        title = claim_title(instance.episode.title, instance.title)
        SearchDocument.objects.filter(article_id=instance.pk).exclude(title=title).update(
            title=title
        )


@receiver(post_save, sender=Claim)
def _claim_saved(sender, instance: Claim, **kwargs) -> None:
    index_article(instance.article_id)


@receiver(post_save, sender=Annotation)
def _annotation_saved(sender, instance: Annotation, created: bool, **kwargs) -> None:
    if created and connection.in_atomic_block and not instance.deleted:
        # A note just inserted in the writer's transaction: nobody else can have indexed or
        # changed it yet, so it is indexed as it stands, without a lock or a read.
        index_new_annotations([instance])
    else:
        index_annotation(instance)


@receiver(post_delete, sender=Annotation)
def _annotation_deleted(sender, instance: Annotation, **kwargs) -> None:
    SearchDocument.objects.filter(annotation_id=instance.pk)._raw_delete(connection.alias)

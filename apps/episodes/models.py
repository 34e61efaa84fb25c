"""Episodes and the notes written about them, as imported from seed documents."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import get_script_prefix, get_urlconf, reverse

from apps.reader.slugs import link_key

# What URLs carry unchanged (YouTube's ids are made of these).
_PLAIN_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]+")
_PATH_MARKER = "0video0id0"


@functools.lru_cache(maxsize=8)
def _episode_path_around(script_prefix: str, urlconf, root_urlconf) -> tuple[str, str]:
    """An episode's path before and after its video id, for these URLs (the cache's key)."""
    before, after = reverse("episodes:episode", args=[_PATH_MARKER]).split(_PATH_MARKER)
    return before, after


def moment_url(page_url: str, seconds: int | None, anchor: str = "") -> str:
    """The episode page at `page_url` opened at `seconds` (the page reads `?t=`), at `anchor`.

    Every link to a moment is built here: notes, the timeline's marks, chapters, search hits.
    `page_url` may be empty for a link within the episode page itself.
    """
    query = f"?t={seconds}" if seconds is not None else ""
    fragment = f"#{anchor}" if anchor else ""
    return f"{page_url}{query}{fragment}"


class ChannelQuerySet(models.QuerySet):
    def with_episodes(self) -> ChannelQuerySet:
        """Channels that have listed episodes, each with its `episode_count` of them."""
        return (
            self.annotate(episode_count=Count("episodes", filter=models.Q(episodes__listed=True)))
            .filter(episode_count__gt=0)
            .order_by(Lower("name"), "id")  # Meta.ordering does not apply to GROUP BY queries
        )


class Channel(models.Model):
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    name = models.CharField(max_length=300)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("episodes:channel", args=[self.slug])


class EpisodeQuerySet(models.QuerySet):
    def with_counts(self) -> EpisodeQuerySet:
        return self.annotate(
            article_count=Count("articles", distinct=True),
            claim_count=Count("articles__claims", distinct=True),
        )

    def with_content_counts(self) -> EpisodeQuerySet:
        """Articles, claims and timestamped moments per episode.

        Each is a subquery on its own table, so the database counts only the episodes of the
        page and never multiplies rows across joins.
        """
        return self.annotate(
            article_count=subquery_count(Article.objects.filter(episode=OuterRef("pk")), "episode"),
            claim_count=subquery_count(
                Claim.objects.filter(article__episode=OuterRef("pk")), "article__episode"
            ),
            moment_count=subquery_count(
                Timestamp.objects.filter(episode=OuterRef("pk")), "episode"
            ),
        )

    def newest_first(self) -> EpisodeQuerySet:
        return self.order_by("-imported", "-id")

    def listed_for(self, user) -> EpisodeQuerySet:
        """The episodes lists show `user`: the listed ones, and the unlisted ones they added."""
        if user is not None and user.is_authenticated:
            return self.filter(models.Q(listed=True) | models.Q(added_by=user.pk))
        return self.filter(listed=True)


def subquery_count(queryset: models.QuerySet, group: str) -> Coalesce:
    """The number of rows of `queryset` (filtered by an OuterRef) as a subquery, 0 for none."""
    counted = queryset.order_by().values(group).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class Episode(models.Model):
    video_id = models.CharField(max_length=11, unique=True)
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="episodes"
    )
    title = models.CharField(max_length=500, blank=True)
    # A channel index page names the episode; until one does, the first article's title stands in.
    titled_by_index = models.BooleanField(default=False)
    # The length notes are held within: set by staff (their player, the admin) or agreed by players.
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Whether that length is only the players' agreement, which more agreeing players may
    # overturn (`apps.episodes.durations`); one set by staff never is.
    duration_agreed = models.BooleanField(default=False, db_default=False)
    imported = models.DateTimeField(auto_now_add=True, db_index=True)
    # An episode someone not trusted with content added (any YouTube video, titled as they
    # please) is unlisted until an import of a document about it or staff confirm it: its
    # page and notes work by its address, but no list (home, channels, search, the API's
    # episodes) shows it to anyone but the person who added it, so nobody publishes a title
    # of their choosing to every reader.
    listed = models.BooleanField(default=True, db_default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who added it by its address, if a person did.",
    )

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-imported", "-id"]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return self.path_for(self.video_id)

    @staticmethod
    def path_for(video_id: str) -> str:
        if not _PLAIN_VIDEO_ID.fullmatch(video_id):
            return reverse("episodes:episode", args=[video_id])
        # A search page links to dozens of episodes: reversing each would cost more than
        # the rest of its hit, while filling in the path reversed once per process is free.
        before, after = _episode_path_around(
            get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
        )
        return f"{before}{video_id}{after}"

    @property
    def display_title(self) -> str:
        return self.title_for_display(self.title, self.video_id)

    @staticmethod
    def title_for_display(title: str, video_id: str) -> str:
        return title or f"Episode {video_id}"

    @property
    def youtube_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.video_id}"

    @property
    def thumbnail_url(self) -> str:
        return f"https://i.ytimg.com/vi/{self.video_id}/hqdefault.jpg"


class ArticleQuerySet(models.QuerySet):
    def for_episode_page(self, episode: Episode) -> ArticleQuerySet:
        """The episode's articles with their whole tree, in a fixed number of queries."""
        claims = Claim.objects.order_by("position").prefetch_related(
            Prefetch("timestamps", queryset=Timestamp.objects.order_by("position"))
        )
        return (
            self.filter(episode=episode)
            .annotate(first_second=Min("claims__timestamps__seconds"))
            .order_by("first_second", "title", "id")
            .prefetch_related(
                Prefetch("sections", queryset=Section.objects.order_by("position")),
                Prefetch("claims", queryset=claims),
            )
        )


class Article(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="articles")
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    slug = models.CharField(max_length=300)
    title = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    source_path = models.CharField(max_length=1000)
    source_sha256 = models.CharField(max_length=64)
    parser_version = models.PositiveIntegerField(default=0)
    # `slugs.link_key(slug)`: the form links find this article by (with its channel first).
    link_key = models.CharField(max_length=300, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "slug"], name="article_unique_slug")
        ]
        indexes = [
            models.Index(fields=["slug"]),
            models.Index(fields=["link_key", "channel"], name="episodes_article_link_channel"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Kept in step with the slug wherever an article is saved (admin, shell, importer).
        self.link_key = link_key(self.slug)
        if kwargs.get("update_fields") is not None and "slug" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "link_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.episode.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"a-{self.slug}"


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=1000, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["article", "position"]

    def __str__(self) -> str:
        return self.title or "(introduction)"


class ClaimQuerySet(models.QuerySet):
    def spoken_at(self, seconds: int) -> ClaimQuerySet:
        """Per article, the claim owning the greatest timestamp <= `seconds`.

        Among equal timestamps the first in reading order wins, as on the episode page.
        """
        latest = (
            Timestamp.objects.filter(claim__article=OuterRef("pk"), seconds__lte=seconds)
            .order_by("-seconds", "claim__position", "position")
            .values("claim_id")[:1]
        )
        current = (
            Article.objects.filter(pk__in=self.values("article_id"))
            .annotate(current_claim=Subquery(latest))
            .values("current_claim")
        )
        return self.filter(pk__in=current)

    def timed_between(self, start: int | None, end: int | None) -> ClaimQuerySet:
        """Claims with at least one timestamp in [start, end] (either bound may be open)."""
        timestamps = Timestamp.objects.filter(claim=OuterRef("pk"))
        if start is not None:
            timestamps = timestamps.filter(seconds__gte=start)
        if end is not None:
            timestamps = timestamps.filter(seconds__lte=end)
        return self.filter(Exists(timestamps))

    def in_reading_order(self) -> ClaimQuerySet:
        return self.order_by("article__episode_id", "article_id", "position")


class Claim(models.Model):
    class Kind(models.TextChoices):
        ITEM = "item"
        PARAGRAPH = "paragraph"
        QUOTE = "quote"

    # Indexed by (article, key), which serves lookups by the article alone too.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="claims", db_index=False
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    html = models.TextField()
    position = models.PositiveIntegerField()
    depth = models.PositiveSmallIntegerField(default=0)
    # Stable across re-imports (`apps.reader.prepared.claim_key`): found within its article.
    key = models.CharField(max_length=40)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["article", "key"], name="episodes_claim_article_key")]

    def __str__(self) -> str:
        return self.label or self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.article.episode.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return self.anchor_for(self.pk)

    @staticmethod
    def anchor_for(pk: int) -> str:
        return f"c{pk}"


class Timestamp(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="timestamps")
    # No index of its own: the (episode, seconds) index below serves every lookup by episode.
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="timestamps", db_index=False
    )
    seconds = models.PositiveIntegerField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["claim", "position"]
        indexes = [models.Index(fields=["episode", "seconds"])]

    def __str__(self) -> str:
        return f"{self.seconds}s"


class Link(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    target_slug = models.CharField(max_length=300)  # as written; links match by `target_key`
    # `slugs.link_key(target_slug)`; `apps.ingest.links.resolve_links()` matches it to
    # `Article.link_key`.
    target_key = models.CharField(max_length=300, blank=True, db_index=True)
    text = models.CharField(max_length=1000, blank=True)
    target_article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="backlinks"
    )

    def __str__(self) -> str:
        return f"{self.text or self.target_slug} → {self.target_slug}"


class ContentVersion(models.Model):
    """One row whose number grows whenever imported content changes anywhere.

    Rendered pages of imported content are cached under it (see `page_cache.py`): a changed
    claim, a newly imported article that a link now reaches, an episode retitled by its
    channel's index, all make every cached page stale at once. Importing is rare and
    reading is not, so one number for everything is enough.
    """

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"content version {self.number}"

    @classmethod
    def current(cls) -> int:
        # Plain SQL: it is read on every kept page, where building the ORM query would cost
        # more than serving the page.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number FROM {connection.ops.quote_name(cls._meta.db_table)} WHERE id = 1"
            )
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls) -> None:
        if (deferred := _deferred_bump.get()) is not None:
            deferred.append(True)
            return
        cls._move_on()

    @classmethod
    def _move_on(cls) -> None:
        if not cls.objects.filter(pk=1).update(number=models.F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})

    @classmethod
    @contextmanager
    def changing(cls) -> Iterator[None]:
        """A transaction that changes content: the version moves once, inside it, if asked.

        Every change within asks for a bump (the signals of ORM saves, or `bump()` called
        after plain SQL writes), and one UPDATE is made just before the commit. So no reader
        sees the new content under the old version, whatever happens to the process next, and
        thousands of saves cost one UPDATE. The row stays locked only from that UPDATE to the
        commit. A block that fails is rolled back, with nothing to bump.
        """
        asked: list[bool] = []
        with transaction.atomic():
            token = _deferred_bump.set(asked)
            try:
                yield
            finally:
                _deferred_bump.reset(token)
            if asked:
                cls._move_on()


_deferred_bump: ContextVar[list[bool] | None] = ContextVar("deferred_bump", default=None)


class TimestampCorrectionQuerySet(models.QuerySet):
    def at(self, article_id: int, claim_key: str, position: int) -> TimestampCorrectionQuerySet:
        """The corrections of one timestamp, whichever import wrote its current row."""
        return self.filter(article_id=article_id, claim_key=claim_key, position=position)

    def in_force(self) -> TimestampCorrectionQuerySet:
        return self.filter(status=TimestampCorrection.Status.APPLIED)

    def newest_first(self) -> TimestampCorrectionQuerySet:
        return self.order_by("-created", "-id")


class TimestampCorrection(models.Model):
    """A new time for one timestamp of a claim: proposed, then applied, maybe reverted.

    Timestamps are deleted and written again on every re-import, so a correction names its
    timestamp by what survives one: the article (updated in place), the claim's stable key
    and the timestamp's position within the claim. The importer applies the corrections in
    force again after writing an article (`apps/ingest/writer.py`).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPLIED = "applied"
        REVERTED = "reverted"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    claim_key = models.CharField(max_length=40)
    position = models.PositiveIntegerField()
    # What the document itself said when the correction was made, to tell on re-import
    # whether the source has moved since.
    source_seconds = models.PositiveIntegerField()
    seconds_from = models.PositiveIntegerField()
    seconds_to = models.PositiveIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied = models.DateTimeField(null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reverted = models.DateTimeField(null=True, blank=True)

    objects = TimestampCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["article", "claim_key", "position"])]
        permissions = [("correct_timestamps", "Can apply and revert timestamp corrections")]

    def __str__(self) -> str:
        return f"{self.seconds_from}s → {self.seconds_to}s ({self.status})"


class DurationReport(models.Model):
    """One reporter's latest word on an episode's length, as their player knows it.

    A reporter is a person when signed in, else an address; `address` (a keyed hash, never
    the address itself) tells apart reporters who are really one machine.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    reporter = models.CharField(max_length=64)
    address = models.CharField(max_length=64)
    seconds = models.PositiveIntegerField()
    reported = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "reporter"], name="one_duration_report_per_reporter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.episode_id}: {self.seconds} s"

"""What people write beside an episode, and the address of a moment of it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from apps.annotations.rendering import render_budget_problem, render_markdown
from apps.episodes.models import Claim, Episode, moment_url, subquery_count

MAX_BODY_LENGTH = 10_000
# A note's tags: at most this many, each at most this long, of [a-z0-9-] (see services).
MAX_TAGS = 10
MAX_TAG_LENGTH = 40


def validate_renderable(body: str) -> None:
    """A body the page can render within its budget (for the admin's form; services check too)."""
    problem = render_budget_problem(body)
    if problem is not None:
        raise ValidationError(problem, code="too_costly")


class RenderedBody(NamedTuple):
    """A body and its HTML, rendered before the transaction that stores them, so that no lock
    is held while Markdown renders."""

    body: str
    html: str

    @classmethod
    def of(cls, body: str) -> RenderedBody:
        return cls(body, render_markdown(body))


class AnnotationQuerySet(models.QuerySet):
    # Set by with_threads(): each note fetched gets its tags' names in one more query.
    _loads_tag_names = False

    def _clone(self) -> AnnotationQuerySet:
        clone = super()._clone()
        clone._loads_tag_names = self._loads_tag_names
        return clone

    def _fetch_all(self) -> None:
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._loads_tag_names:
            _load_tag_names([note for note in self._result_cache if isinstance(note, Annotation)])

    def visible_to(self, user) -> AnnotationQuerySet:
        """Public notes, and the user's own private ones. The one place this rule lives.

        A deleted note kept as the placeholder of its replies is no one's to see.
        """
        public = Q(visibility=Annotation.Visibility.PUBLIC)
        live = self.filter(deleted=False)
        if user is None or not user.is_authenticated:
            return live.filter(public)
        return live.filter(public | Q(author=user))

    def with_threads(self, user) -> AnnotationQuerySet:
        """Each note with its tags, `reply_count`: the replies to it `user` may see, and
        `parent_open`: whether a reply's note is everyone's to open (public, or a deleted
        note's placeholder), the same for every reader so that a reply's item can be kept."""
        replies = Annotation.objects.visible_to(user).filter(parent=OuterRef("pk"))
        open_parent = Annotation.objects.filter(pk=OuterRef("parent_id")).filter(
            Q(visibility=Annotation.Visibility.PUBLIC) | Q(deleted=True)
        )
        # Not prefetch_related("tags"): that builds a queryset for every note fetched, which
        # cost the episode page more than the notes' own rows.
        threaded = self.annotate(
            reply_count=subquery_count(replies, "parent"), parent_open=Exists(open_parent)
        )
        threaded._loads_tag_names = True
        return threaded

    def in_page_order(self) -> AnnotationQuerySet:
        """As the episode page lists them: by moment, then as written."""
        return self.order_by(models.F("seconds").asc(nulls_first=True), "created", "id")

    def newest_first(self) -> AnnotationQuerySet:
        return self.order_by("-created", "-id")

    # A body is never written without its HTML: save() renders it, and so do the bulk writes.
    def bulk_create(self, objs: Iterable[Annotation], *args, **kwargs) -> list[Annotation]:
        """Insert notes, each with its body's HTML (rendered here unless `set_body` gave it)."""
        objs = list(objs)
        for annotation in objs:
            annotation.render_body()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[Annotation], fields, *args, **kwargs) -> int:
        objs, fields = list(objs), list(fields)
        if "body" in fields:
            for annotation in objs:
                annotation.render_body()
            fields.append("body_html")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs) -> int:
        if "body" in kwargs and "body_html" not in kwargs:
            raise TypeError("A note's body is written by save() or bulk_update(), with its HTML.")
        return super().update(**kwargs)


class Annotation(models.Model):
    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        PUBLIC = "public", "Everyone"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="annotations")
    # SET_NULL: a claim that vanishes on re-import leaves its notes "detached", never deleted.
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    seconds = models.PositiveIntegerField(null=True, blank=True)
    # A note may cover a range, seconds to end_seconds (later than seconds).
    end_seconds = models.PositiveIntegerField(null=True, blank=True)
    # Blank only for a bookmark ("mark the moment", written up later): services require a body
    # everywhere else.
    body = models.TextField(
        max_length=MAX_BODY_LENGTH, blank=True, validators=[validate_renderable]
    )
    # The body rendered and sanitised when it is written, so that showing a note renders
    # nothing. What it holds comes from `render_markdown` alone.
    body_html = models.TextField(editable=False, default="")
    # What `body_html` was rendered from, when this object rendered or was given it.
    _rendered: RenderedBody | None = None
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # The claim's text when the note was written: what a detached note still shows.
    quote = models.TextField(blank=True)
    # Set in save() rather than by auto_now_add/auto_now, which read the clock once each: a
    # note never edited must show updated == created, to the millisecond.
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(default=timezone.now, editable=False)
    # A reply to a public note (one level deep: a parent is never itself a reply).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # Deleted by its author while it had replies: the row stays, emptied, so that the replies
    # keep their thread under a "deleted note" placeholder; gone with its last reply.
    deleted = models.BooleanField(default=False, db_default=False, editable=False)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            models.Index(fields=["episode", "visibility"]),
            models.Index(fields=["author", "created"]),
            # The import's "already there?" check: a person's notes on an episode at a time.
            models.Index(fields=["author", "episode", "seconds"]),
        ]

    def __str__(self) -> str:
        first_line = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return first_line[:80]

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_body()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        if self._state.adding:
            self.updated = self.created
        else:
            self.updated = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:detail", args=[self.pk])

    def set_body(self, rendered: RenderedBody) -> None:
        """A new body with its HTML, rendered beforehand (`RenderedBody.of`)."""
        self.body, self.body_html, self._rendered = rendered.body, rendered.html, rendered

    def render_body(self) -> None:
        """Fill `body_html` from `body`, unless it holds this body's HTML already."""
        if self._rendered is None or self._rendered.body != self.body:
            self.set_body(RenderedBody.of(self.body))

    @property
    def is_bookmark(self) -> bool:
        """Marked at a moment, not yet written up."""
        return not self.body

    @property
    def tag_names(self) -> list[str]:
        """The note's tags in the order given (`with_threads()` loads them for a list)."""
        names = self.__dict__.get("_tag_names")
        if names is not None:
            return names
        return [tag.name for tag in self.tags.all()]

    def forget_tags(self) -> None:
        """Drop the tags loaded with the note, after they are written again."""
        self.__dict__.pop("_tag_names", None)
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("tags", None)

    @property
    def anchor(self) -> str:
        return f"n{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_detached(self) -> bool:
        """Written on a claim that a later import removed."""
        return self.claim_id is None and bool(self.quote)

    @property
    def place_anchor(self) -> str:
        """Where the note sits on the episode page: under its claim, or in the loose notes."""
        return self.claim.anchor if self.claim_id else self.anchor

    @property
    def place_url(self) -> str:
        return f"{self.episode.get_absolute_url()}#{self.place_anchor}"

    @property
    def moment_url(self) -> str:
        """The episode page opened at this note's moment (`?t=`), at its place."""
        return moment_url(self.episode.get_absolute_url(), self.seconds, self.place_anchor)

    @property
    def range_url(self) -> str:
        """The episode page playing this note's range (`?t=&end=`), or its moment."""
        if self.seconds is None or self.end_seconds is None:
            return self.moment_url
        base = f"{self.episode.get_absolute_url()}?t={self.seconds}&end={self.end_seconds}"
        return f"{base}#{self.place_anchor}"

    @property
    def youtube_url(self) -> str:
        url = self.episode.youtube_url
        return f"{url}&t={self.seconds}s" if self.seconds is not None else url


def tag_names_of(note_ids: list[int]) -> dict[int, list[str]]:
    """The names of these notes' tags, in the order given, by note id: one query."""
    names: dict[int, list[str]] = {note_id: [] for note_id in note_ids}
    if not names:
        return names
    rows = Tag.objects.filter(annotation__in=list(names)).order_by("id")
    for annotation_id, name in rows.values_list("annotation_id", "name"):
        names[annotation_id].append(name)
    return names


def _load_tag_names(notes: list[Annotation]) -> None:
    """Give each note its tags' names (`tag_names`), in one query for them all."""
    names = tag_names_of([note.pk for note in notes])
    for note in notes:
        note._tag_names = names[note.pk]


class Tag(models.Model):
    """One tag of one note: a word of [a-z0-9-], lower-cased (see services.clean_tags).

    A row per note and tag rather than a shared vocabulary: writing a note never races
    another writer for a tag's row, and a note's tags are written in one bulk insert.
    """

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=MAX_TAG_LENGTH)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "name"], name="one_tag_per_note")
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"#{self.name}"

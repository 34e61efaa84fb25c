"""Files that carry an episode's notes out of Seeknotes, each in its established format."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.limits import rate_limit_refusal
from apps.annotations.models import Annotation
from apps.episodes.models import Article, Episode, moment_url
from apps.episodes.outline import ArticleOutline, build_outlines
from apps.exports.annotation_import import (
    MAX_IMPORT_BYTES,
    MAX_NOTES,
    ImportRefused,
    annotations_import,
)
from apps.exports.chapters import (
    JSON_CHAPTERS_CONTENT_TYPE,
    WEBVTT_CONTENT_TYPE,
    Chapter,
    episode_chapters,
    json_chapters,
    webvtt,
)
from apps.exports.notes_markdown import episode_notes_markdown
from apps.exports.responses import annotation_as_web_annotation
from apps.exports.web_annotation import (
    ANNOTATION_MEDIA_TYPE,
    annotation_collection,
)
from apps.pages.limits import with_retry_after

MARKDOWN_CONTENT_TYPE = "text/markdown; charset=utf-8"


@require_GET
def chapters_vtt(request: HttpRequest, video_id: str) -> HttpResponse:
    """The episode's chapters as WebVTT, for a `<track kind="chapters">`."""
    episode, outlines = _episode_with_outlines(video_id)
    chapters = episode_chapters(outlines, duration_seconds=episode.duration_seconds)
    response = HttpResponse(webvtt(chapters), content_type=WEBVTT_CONTENT_TYPE)
    return _shareable(response, f"{episode.video_id}-chapters.vtt")


@require_GET
def chapters_json(request: HttpRequest, video_id: str) -> HttpResponse:
    """The episode's chapters as Podcasting 2.0 JSON chapters."""
    episode, outlines = _episode_with_outlines(video_id)
    chapters = episode_chapters(outlines, duration_seconds=episode.duration_seconds)
    page_url = request.build_absolute_uri(episode.get_absolute_url())

    def url_for(chapter: Chapter) -> str:
        return moment_url(page_url, chapter.start)

    document = json_chapters(
        chapters,
        title=episode.display_title,
        podcast_name=episode.channel.name if episode.channel else None,
        url_for=url_for,
    )
    content = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type=JSON_CHAPTERS_CONTENT_TYPE)
    return _shareable(response, f"{episode.video_id}-chapters.json")


@require_GET
def notes_markdown(request: HttpRequest, video_id: str) -> HttpResponse:
    """The episode's articles as one Markdown document in the seed format.

    Signed in, the reader's own notes follow their claims unless `?notes=0`; without them the
    file imports back (`import_seeds`) to exactly the same claims and timestamps.
    """
    with_notes = request.user.is_authenticated and request.GET.get("notes") != "0"
    episode, document = episode_markdown(video_id, request.user if with_notes else None)
    response = HttpResponse(document, content_type=MARKDOWN_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{episode.video_id}-notes.md"'
    # Who asks changes the answer: a cache must neither share nor mix the two.
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        patch_cache_control(response, private=True)
    return response


@login_required
@require_GET
def notes_export(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notes as a W3C Web Annotation collection (JSON-LD)."""
    response = HttpResponse(notes_collection_json(request), content_type=ANNOTATION_MEDIA_TYPE)
    response["Content-Disposition"] = 'attachment; filename="seeknotes-notes.jsonld"'
    patch_cache_control(response, private=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notes_import(request: HttpRequest) -> HttpResponse:
    """Upload Web Annotations (a collection, as /notes/export.jsonld gives) to restore notes.

    Imports are rate-limited per person and per address; past it, the page says how long to wait.
    """
    report, error, refusal = None, "", None
    if request.method == "POST":
        # Before the import's own work (the notes read, the queries), which is what it spares.
        refusal = rate_limit_refusal(request, "note_import", user=request.user)
        upload = request.FILES.get("file")
        if refusal:
            error = refusal.message
        elif upload is None:
            error = "Choose a file to import."
        else:
            try:
                report = annotations_import(
                    author=request.user, data=upload.read(MAX_IMPORT_BYTES + 1)
                )
            except ImportRefused as refused:
                error = f"Nothing was imported. {refused}"
    response = render(
        request,
        "exports/notes_import.html",
        {
            "report": report,
            "error": error,
            "max_notes": MAX_NOTES,
            "max_megabytes": MAX_IMPORT_BYTES // (1024 * 1024),
        },
        status=400 if error else 200,
    )
    return with_retry_after(response, refusal)


def episode_markdown(video_id: str, author: AbstractBaseUser | None) -> tuple[Episode, str]:
    """The episode's notes.md, with `author`'s notes after their claims when one is given.

    Shared by `notes_markdown` and the account's data download, which holds the same file.
    """
    notes = []
    if author is not None:
        notes = list(
            Annotation.objects.filter(author=author, episode__video_id=video_id, deleted=False)
            .select_related("claim", "parent__author")
            .prefetch_related("tags")
            .in_page_order()
        )
    episode, outlines = _episode_with_outlines(video_id, notes)
    document = episode_notes_markdown(
        title=episode.display_title,
        video_id=episode.video_id,
        channel_slug=episode.channel.slug if episode.channel else None,
        channel_name=episode.channel.name if episode.channel else None,
        outlines=outlines,
        loose_notes=[note for note in notes if note.claim_id is None],
    )
    return episode, document


def notes_collection_json(request: HttpRequest) -> str:
    """/notes/export.jsonld's body: every note of the signed-in person, as a W3C collection.

    Shared by `notes_export` and the account's data download, which holds the same file.
    """
    notes = (
        request.user.annotations.filter(deleted=False)
        .select_related("episode", "author")
        .prefetch_related("tags")
        .order_by("created", "id")
    )
    document = annotation_collection(
        notes,
        collection_url=request.build_absolute_uri(reverse("exports:notes_export")),
        label=f"Notes by {request.user.get_username()} on Seeknotes",
        annotation_for=lambda note: annotation_as_web_annotation(request, note, with_context=False),
    )
    return json.dumps(document, ensure_ascii=False, indent=2)


def _episode_with_outlines(
    video_id: str, annotations: list[Annotation] | None = None
) -> tuple[Episode, list[ArticleOutline]]:
    episode = get_object_or_404(Episode.objects.select_related("channel"), video_id=video_id)
    articles = Article.objects.for_episode_page(episode)
    return episode, build_outlines(articles, annotations or [])


def _shareable(response: HttpResponse, filename: str) -> HttpResponse:
    """Public chapter files: named for saving, and readable by players on any site."""
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response

"""Pages for browsing episodes and watching one with its notes."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from apps.annotations.forms import NewAnnotationForm
from apps.annotations.models import Annotation
from apps.annotations.selectors import recently_annotated, shown_under_claims, with_note_counts
from apps.episodes.links import related_episodes
from apps.episodes.models import Channel, Episode
from apps.pages.episode_pieces import episode_lanes, episode_pieces, with_notes
from apps.pages.page_cache import cached_page, keep_page, page_key
from apps.pages.plain_text import text_param
from apps.pages.timeline import build_timeline
from apps.reader.timecode import parse_offset

EPISODES_PER_PAGE = 50
RECENTLY_ANNOTATED_SHOWN = 5


@require_GET
def episode_list(request: HttpRequest) -> HttpResponse:
    """Every episode, newest import first, optionally narrowed to one channel."""
    episodes = with_note_counts(
        Episode.objects.select_related("channel").with_content_counts(), request.user
    ).newest_first()
    channel_slug = text_param(request.GET, "channel")
    if channel_slug:
        episodes = episodes.filter(channel__slug=channel_slug)
    page = Paginator(episodes, EPISODES_PER_PAGE).get_page(request.GET.get("page"))
    if request.htmx:
        return render(
            request,
            "episodes/episode_list.html#episode-results",
            {"page": page, "channel_slug": channel_slug},
        )
    return render(
        request,
        "episodes/episode_list.html",
        {
            "page": page,
            "channels": Channel.objects.with_episodes(),
            "channel_slug": channel_slug,
            "recently_annotated": recently_annotated(Episode.objects.all(), request.user)[
                :RECENTLY_ANNOTATED_SHOWN
            ],
        },
    )


@require_GET
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One channel's episodes."""
    channel = get_object_or_404(Channel, slug=slug)
    episodes = with_note_counts(
        channel.episodes.select_related("channel").with_content_counts(), request.user
    ).newest_first()
    page = Paginator(episodes, EPISODES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "episodes/channel.html", {"channel": channel, "page": page})


@require_GET
def episode_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    """The player and all the episode's articles; `?t=1h2m3s` opens it at that moment."""
    cache_key = page_key(request, video_id)
    if cache_key is not None and (page := cached_page(request, cache_key)) is not None:
        return HttpResponse(page)
    episode = get_object_or_404(Episode.objects.select_related("channel"), video_id=video_id)
    annotations = _visible_notes(request, episode)
    pieces = episode_pieces(request, episode)
    shown = shown_under_claims(
        annotations, reader_id=request.user.pk, per_claim=settings.NOTES_PER_CLAIM
    )
    note_now_form = None
    if request.user.is_authenticated:
        note_now_form = NewAnnotationForm(episode=episode, auto_id="note-now-%s", autofocus=False)
    lanes = episode_lanes(episode, pieces, annotations)
    response = render(
        request,
        "episodes/episode.html",
        {
            "episode": episode,
            "pieces": pieces,
            "articles": with_notes(request, pieces, shown),
            "timeline": build_timeline(episode, lanes, annotations, request.user.pk),
            "related_episodes": related_episodes(episode),
            "loose_annotations": [note for note in annotations if note.claim_id is None],
            "note_now_form": note_now_form,
            "start_seconds": _start_seconds(request, episode),
        },
    )
    if cache_key is not None:
        keep_page(cache_key, response.content.decode(), notes_shown=len(annotations))
    return response


@require_GET
def episode_timeline(request: HttpRequest, video_id: str) -> HttpResponse:
    """The timeline alone: the page draws it again when the reader's notes change."""
    episode = get_object_or_404(Episode, video_id=video_id)
    annotations = _visible_notes(request, episode)
    lanes = episode_lanes(episode, episode_pieces(request, episode), annotations)
    timeline = build_timeline(episode, lanes, annotations, request.user.pk)
    response = render(
        request, "episodes/_timeline.html", {"episode": episode, "timeline": timeline}
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _start_seconds(request: HttpRequest, episode: Episode) -> int | None:
    """The moment `?t=` opens the page at, or None for the start.

    An unreadable `?t=`, or one at or past the episode's end when its length is known, is
    ignored: the page opens at the start rather than cued where the video has nothing to play.
    """
    seconds = parse_offset(request.GET.get("t", ""))
    duration = episode.duration_seconds
    if seconds is not None and duration and seconds >= duration:
        return None
    return seconds


def _visible_notes(request: HttpRequest, episode: Episode) -> list[Annotation]:
    # One query for every note this reader may see on the page, whatever their number.
    return list(
        Annotation.objects.visible_to(request.user)
        .filter(episode=episode)
        .select_related("author", "episode")
        .in_page_order()
    )

"""Pages for browsing episodes and watching one with its notes."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from apps.annotations.selectors import (
    recently_annotated,
    with_note_counts,
)
from apps.episodes.lookups import episode_or_404
from apps.episodes.models import Channel, Episode
from apps.pages.episode_pieces import (
    articles_with_notes,
    full_notes_loader,
    note_now_form,
    notes_html,
    read_episode,
    reader_timeline,
)
from apps.pages.episode_shell import episode_page_html
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
        Episode.objects.listed_for(request.user).select_related("channel").with_content_counts(),
        request.user,
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
            "recently_annotated": recently_annotated(
                Episode.objects.listed_for(request.user), request.user
            )[:RECENTLY_ANNOTATED_SHOWN],
        },
    )


@require_GET
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One channel's episodes."""
    channel = get_object_or_404(Channel, slug=slug)
    episodes = with_note_counts(
        channel.episodes.listed_for(request.user).select_related("channel").with_content_counts(),
        request.user,
    ).newest_first()
    page = Paginator(episodes, EPISODES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "episodes/channel.html", {"channel": channel, "page": page})


@require_GET
def episode_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    """The player and all the episode's articles; `?t=1h2m3s` opens it at that moment.

    `&end=` makes it a clip: the player stops (or loops) there.
    """
    cache_key = page_key(request, video_id)
    if cache_key is not None and (page := cached_page(request, cache_key)) is not None:
        return HttpResponse(page)
    episode = episode_or_404(video_id, with_channel=True)
    read = read_episode(request, episode)
    rows, pieces = read.rows, read.pieces
    full_notes = full_notes_loader(request, episode)
    notes = notes_html(request, rows, pieces.version, read.lanes, full_notes)
    note_now = note_now_form(request, episode) if request.user.is_authenticated else None
    context = {
        "episode": episode,
        "pieces": pieces,
        "timeline": build_timeline(episode, read.lanes, rows, request.user.pk, notes.marks),
        "loose_notes": render_to_string(
            "annotations/_annotations.html#loose-notes", {"annotations": notes.loose}, request
        ),
        "note_now_form": note_now,
        **_moment_asked(request, episode),
    }
    # The articles, with the reader's notes lists in place, go in as they are kept: UTF-8.
    articles = articles_with_notes(pieces, notes.lists) if pieces.article_count else None
    response = HttpResponse(episode_page_html(request, context, articles))
    if cache_key is not None:
        keep_page(cache_key, response.content.decode(), notes_shown=len(rows))
    return response


@require_GET
def episode_timeline(request: HttpRequest, video_id: str) -> HttpResponse:
    """The timeline alone: the page draws it again when the reader's notes change.

    `?lanes=` names the lanes the page has drawn (`data-lanes`): when they are still these,
    the answer leaves them out (`data-lanes-kept`) and the page keeps its own.
    """
    episode = episode_or_404(video_id)
    timeline = reader_timeline(request, episode, read_episode(request, episode))
    if request.GET.get("lanes") == timeline.lanes.digest:
        timeline = timeline.without_lanes()
    response = render(
        request, "episodes/_timeline.html", {"episode": episode, "timeline": timeline}
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _moment_asked(request: HttpRequest, episode: Episode) -> dict[str, int | None]:
    """The moment `?t=` opens the page at, and the end `&end=` gives a clip of it.

    `start_seconds` is None for the start: an unreadable `?t=`, or one at or past the episode's
    end when its length is known, is ignored, so the page opens at the start rather than cued
    where the video has nothing to play. `end_seconds` is read by the same rules and is None
    unless it comes after the start (0 when there is no `?t=`) and before the known end.
    """
    start = _offset_within(request.GET.get("t", ""), episode)
    end = _offset_within(request.GET.get("end", ""), episode, inclusive=True)
    if end is not None and end <= (start or 0):
        end = None
    return {"start_seconds": start, "end_seconds": end}


def _offset_within(value: str, episode: Episode, *, inclusive: bool = False) -> int | None:
    seconds = parse_offset(value)
    duration = episode.duration_seconds
    if seconds is None or not duration:
        return seconds
    # A clip may end on the episode's last second; a start there would have nothing to play.
    past_the_end = seconds > duration if inclusive else seconds >= duration
    return None if past_the_end else seconds

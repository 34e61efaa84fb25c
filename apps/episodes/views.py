"""Pages for browsing episodes and watching one with its notes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Article, Channel, Episode


@require_GET
def episode_list(request: HttpRequest) -> HttpResponse:
    """Every episode, newest import first, optionally narrowed to one channel."""
    episodes = Episode.objects.select_related("channel").with_counts().newest_first()
    return render(request, "episodes/episode_list.html", {"episodes": episodes})


@require_GET
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One channel's episodes."""
    channel = get_object_or_404(Channel, slug=slug)
    episodes = channel.episodes.with_counts().newest_first()
    return render(request, "episodes/channel.html", {"channel": channel, "episodes": episodes})


@require_GET
def episode_detail(request: HttpRequest, video_id: str) -> HttpResponse:
    """The player and all the episode's articles."""
    episode = get_object_or_404(Episode.objects.select_related("channel"), video_id=video_id)
    articles = Article.objects.for_episode_page(episode)
    return render(request, "episodes/episode.html", {"episode": episode, "articles": articles})

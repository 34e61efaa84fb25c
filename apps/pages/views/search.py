"""The search page: claims and visible notes matching a query, grouped by episode."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.search.queries import SearchHit, search

HITS_PER_PAGE = 50


def group_by_episode(hits: list[SearchHit]) -> list[dict]:
    """Hits under their episode, episodes in the order of their best hit."""
    groups: dict[str, dict] = {}
    for hit in hits:
        group = groups.setdefault(
            hit.video_id,
            {"video_id": hit.video_id, "title": hit.episode_title, "hits": []},
        )
        group["hits"].append(hit)
    return list(groups.values())


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: works as a plain GET form; htmx swaps in only the results."""
    query = request.GET.get("q", "")
    page = Paginator(search(query, user=request.user), HITS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    template_name = "search/search.html"
    # htmx asks for the whole page when "back" reaches a page it holds no copy of.
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#search-results"
    return render(
        request,
        template_name,
        {"query": query, "page": page, "groups": group_by_episode(list(page.object_list))},
    )

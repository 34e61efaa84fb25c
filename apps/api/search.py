"""`/api/search`: claims matching a query, each with the moment it links to."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.api.auth import OPTIONAL_AUTH_OPENAPI, request_user
from apps.api.common import (
    EXAMPLE_QUERY,
    INVALID,
    MAX_QUERY_LENGTH,
    NO_NUL,
    ErrorOut,
    Pagination,
    absolute_url,
)
from apps.search.queries import SearchHit, SearchResults, search

router = Router(tags=["search"])


class SearchHitOut(Schema):
    kind: Literal["claim", "annotation"]
    id: int
    episode: str = Field(description="The episode's video_id.")
    seconds: int | None = Field(description="The moment of the hit, when it has one.")
    snippet: str
    url: str = Field(description="The episode page at that moment.")

    @staticmethod
    def resolve_episode(hit: SearchHit) -> str:
        return hit.video_id

    @staticmethod
    def resolve_url(hit: SearchHit, context: dict[str, Any]) -> str:
        return absolute_url(context["request"], hit.path)


@router.get(
    "/search",
    response={200: list[SearchHitOut], 401: ErrorOut, **INVALID},
    summary="Search",
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
@paginate(Pagination)
def search_list(
    request: HttpRequest,
    q: str = Query(
        ...,
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
        description="Words that must all appear in a hit; `tag:name` keeps the notes "
        "with that tag.",
        example=EXAMPLE_QUERY,
    ),
) -> SearchResults:
    """Claims and the annotations you may see matching `q`, best first (see the search page).

    `count` stops at 500: a broader query (a short prefix) gives the best of the first
    500 matches found, and `offset` goes no further. Another word narrows it.
    """
    return search(q, user=request_user(request))

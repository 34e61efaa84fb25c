"""Answers kept in the cache by the content's version, as kept pages are."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

from apps.episodes.models import ContentVersion

# The episode's JSON (`GET /api/episodes/{id}`) is the same for every reader: it is kept by
# the content's version and the site's address (its URLs are absolute).

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def json_key(request: HttpRequest, video_id: str) -> str:
    site = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    return f"episode-json:{video_id}:{ContentVersion.current()}:{site}"


def kept_json(key: str) -> HttpResponse | None:
    body = cache.get(key)
    return None if body is None else HttpResponse(body, content_type=JSON_CONTENT_TYPE)


def keep_json(request: HttpRequest, key: str, answer: dict) -> HttpResponse:
    """`answer` rendered as the API renders everything, and kept."""
    body = JSONRenderer().render(request, answer, response_status=200)
    cache.set(key, body, settings.KEPT_PAGE_SECONDS)
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE)

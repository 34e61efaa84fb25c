"""Notes answered as W3C Web Annotations, with this site's absolute URLs."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from apps.annotations.models import Annotation
from apps.exports.web_annotation import (
    ANNOTATION_MEDIA_TYPE,
    wants_web_annotation,
    web_annotation,
)


def annotation_as_web_annotation(
    request: HttpRequest, note: Annotation, *, with_context: bool = True
) -> dict:
    """One note as a W3C Annotation, with absolute URLs for this site."""
    return web_annotation(
        note,
        annotation_url=request.build_absolute_uri(f"/api/annotations/{note.pk}"),
        page_url=request.build_absolute_uri(note.episode.get_absolute_url()),
        site_url=request.build_absolute_uri("/"),
        parent_url=(
            request.build_absolute_uri(f"/api/annotations/{note.parent_id}")
            if note.parent_id is not None
            else None
        ),
        with_context=with_context,
    )


def web_annotation_response(request: HttpRequest, note: Annotation) -> HttpResponse | None:
    """The note as a W3C Annotation when the request's Accept header asks for one."""
    if not wants_web_annotation(request.headers.get("Accept", "")):
        return None
    document = annotation_as_web_annotation(request, note)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=ANNOTATION_MEDIA_TYPE
    )
    patch_vary_headers(response, ["Accept"])
    return response

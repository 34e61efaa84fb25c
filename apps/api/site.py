"""The REST API: every app's router mounted once under /api/, with JSON errors throughout.

Each handler below turns one kind of failure into `{"detail": ...}` with its status, so a
client never sees an HTML page; `apps.api.middleware.api_json_errors` does the same for what
happens before or outside these views (unknown URLs, oversized bodies, wrong methods).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from apps.accounts.tokens import NAME_RULE
from apps.api import adding  # noqa: F401  (adds POST /api/episodes to the episodes router)
from apps.api.annotations import router as annotations_router
from apps.api.common import absolute_url
from apps.api.docs import LocalSwagger
from apps.api.episodes import router as episodes_router
from apps.api.exports import router as exports_router
from apps.api.imports import router as imports_router
from apps.api.limits import RateLimited
from apps.api.search import router as search_router
from apps.api.timestamps import router as timestamps_router
from apps.api.tokens import router as tokens_router

logger = logging.getLogger(__name__)

# Pydantic would quote the regular expression; people want to know what to send instead.
PATTERN_MESSAGES = {
    ("body", "string_pattern_mismatch"): "Write something: not only spaces, and no NUL.",
    ("name", "string_pattern_mismatch"): NAME_RULE,
    ("video_id", "string_pattern_mismatch"): "A YouTube video id: 11 letters, digits, - or _.",
    ("episode", "string_pattern_mismatch"): "A YouTube video id: 11 letters, digits, - or _.",
}
UNAUTHORIZED = "Send a token (Authorization: Bearer <token>) or sign in."


class SeeknotesAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # View names are unique across the routers: "claim_list" reads better than a module path.
        return operation.view_func.__name__


api = SeeknotesAPI(
    title="Seeknotes API",
    version="1",
    description=(
        "Episodes, their notes (articles, sections and claims with timestamps), search, and "
        "annotations. Reading is open to anyone; writing takes `Authorization: Bearer <token>` "
        "(make one with `POST /api/tokens`) or the session cookie with Django's CSRF header. "
        "Lists are paginated as `{items, count}` with `limit` (default 50, capped at 500) "
        'and `offset`. Errors are `{"detail": ...}`. Writes are rate-limited per person and '
        "per address: past a limit the answer is 429, with `Retry-After` in seconds.\n\n"
        "**Exports**, in the formats other tools read: "
        "[`/episodes/{video_id}/chapters.vtt`](/episodes/Wo95ob_s_NI/chapters.vtt) (WebVTT "
        "chapters), [`/episodes/{video_id}/chapters.json`](/episodes/Wo95ob_s_NI/chapters.json) "
        "(Podcasting 2.0 JSON chapters), [`/episodes/{video_id}/notes.md`]"
        "(/episodes/Wo95ob_s_NI/notes.md) (the notes as Markdown, with your annotations when "
        "signed in) and [`/notes/export.jsonld`](/notes/export.jsonld) (your annotations as a "
        "W3C Web Annotation collection). `GET /api/annotations/{id}` answers "
        '`Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` with a W3C '
        "Web Annotation, and `POST /api/annotations/import` takes such a collection back."
    ),
    urls_namespace="api",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    docs=LocalSwagger(settings={"validatorUrl": None}),
    docs_url="/docs",
)
api.add_router("/", episodes_router)
api.add_router("/", imports_router)
api.add_router("/", search_router)
api.add_router("/", exports_router)
api.add_router("/", annotations_router)
api.add_router("/", tokens_router)
api.add_router("/", timestamps_router)


class IndexOut(Schema):
    docs: str
    openapi: str


@api.get("/", response=IndexOut, summary="Where the documentation is", tags=["index"])
def index(request: HttpRequest) -> dict[str, str]:
    return {
        "docs": absolute_url(request, reverse("api:openapi-view")),
        "openapi": absolute_url(request, reverse("api:openapi-json")),
    }


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    issues = [
        {
            "loc": issue_location(error["loc"]),
            "msg": PATTERN_MESSAGES.get(
                (str(error["loc"][-1]), error.get("type")), str(error.get("msg", ""))
            ),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": issues}, status=422)


def issue_location(loc: tuple | list) -> list[str | int]:
    """("body", "payload", "body") -> ["body", "body"]: the view's argument name is ours."""
    parts = [part if isinstance(part, int) else str(part) for part in loc]
    if len(parts) > 2 and parts[0] == "body" and parts[1] == "payload":
        del parts[1]
    return parts


@api.exception_handler(ModelValidationError)
def refused_by_a_service(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    # A service's own checks (an empty note, a claim of another episode), shaped like ninja's.
    fields = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    issues = [
        {
            "loc": ["body", field] if field != "__all__" else ["body"],
            "msg": " ".join(error.messages),
            "type": error.code or "invalid",
        }
        for field, errors in fields.items()
        for error in errors
    ]
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = exc.message
    if isinstance(exc, AuthenticationError) and message == "Unauthorized":
        message = UNAUTHORIZED  # ninja's word when no way of signing in worked
    response = api.create_response(request, {"detail": message}, status=exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not the client's fault: log it with its traceback, answer in JSON all the same.
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "Internal server error."}, status=500)

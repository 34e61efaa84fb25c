"""The REST API: every app's router mounted once under /api/, with JSON errors throughout.

Each handler below turns one kind of failure into `{"detail": ...}` with its status, so a
client never sees an HTML page; `apps.middleware.api_json_errors` does the same for what
happens before or outside these views (unknown URLs, oversized bodies, wrong methods).
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.operation import Operation

from apps.api_common import absolute_url
from apps.episodes.api import router as episodes_router
from apps.search.api import router as search_router

logger = logging.getLogger(__name__)


class SeeknotesAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # View names are unique across the routers: "claim_list" reads better than a module path.
        return operation.view_func.__name__


api = SeeknotesAPI(
    title="Seeknotes API",
    version="1",
    description=(
        "Episodes, their notes (articles, sections and claims with timestamps) and search. "
        "Lists are paginated as `{items, count}` with `limit` (default 50, capped at 500) "
        'and `offset`. Errors are `{"detail": ...}`.'
    ),
    urls_namespace="api",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_url="/docs",
)
api.add_router("/", episodes_router)
api.add_router("/", search_router)


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
            "loc": [str(part) if not isinstance(part, int) else part for part in error["loc"]],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A bug, not the client's fault: log it with its traceback, answer in JSON all the same.
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": "Internal server error."}, status=500)

"""Keeps every answer under /api/ JSON, including those no API view produced."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from apps.api.auth import refuse_bad_credentials
from apps.exports.annotation_import import MAX_IMPORT_BYTES

API_PREFIX = "/api/"
MAX_BODY_BYTES = 100 * 1024
# A person's whole collection of notes may be larger than any other request; uploaded
# documents larger still (the multipart wrapping adds a little to the files' own limit).
WEB_IMPORT_PATH = "/api/imports"
LARGER_BODIES = {
    "/api/annotations/import": MAX_IMPORT_BYTES,
    WEB_IMPORT_PATH: settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024,
}
# The one route that takes files, as multipart/form-data, rather than JSON.
MULTIPART_BODIES = {WEB_IMPORT_PATH}
JSON_TYPES = ("application/json", "application/problem+json")
# Headers that carry meaning for the client and must survive turning a response into JSON.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary")


def api_json_errors(get_response: Callable[[HttpRequest], HttpResponse]):
    """Refuse oversized or non-JSON bodies early; turn any non-JSON error into `{"detail"}`."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return get_response(request)
        refusal = refuse_body(request) or refuse_bad_credentials(request)
        if refusal is not None:
            return refusal
        response = get_response(request)
        if response.status_code >= 400 and not is_json(response):
            return as_json(response)
        return response

    return middleware


def refuse_body(request: HttpRequest) -> JsonResponse | None:
    # Checked before anything reads the body, so a huge upload is never buffered.
    length_header = request.META.get("CONTENT_LENGTH") or "0"
    try:
        length = int(length_header)
    except ValueError:
        return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
    limit = LARGER_BODIES.get(request.path_info, MAX_BODY_BYTES)
    if length > limit:
        return JsonResponse(
            {"detail": f"The request body is over {limit // 1024:,} KB."}, status=413
        )
    if length and request.method in {"POST", "PUT", "PATCH"}:
        content_type = request.content_type or ""
        if request.path_info in MULTIPART_BODIES:
            if content_type != "multipart/form-data":
                return JsonResponse(
                    {"detail": "Send the files as multipart/form-data."}, status=415
                )
        elif content_type != "application/json" and not content_type.endswith("+json"):
            return JsonResponse(
                {"detail": "Send the request body as application/json."}, status=415
            )
    return None


def is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in JSON_TYPES


def as_json(response: HttpResponse) -> JsonResponse:
    replacement = JsonResponse(
        {"detail": response.reason_phrase or "Error."}, status=response.status_code
    )
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement

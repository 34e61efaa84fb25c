"""Importing documents through the API: `POST /api/imports` (multipart), `GET /api/imports/{id}`."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from apps.api.auth import WRITE_AUTH
from apps.api.common import BODY_ERRORS, INVALID, MAX_ID, NOT_FOUND, ErrorOut, absolute_url
from apps.api.limits import TOO_MANY_REQUESTS, enforce_rate_limit
from apps.ingest.models import WebImport
from apps.ingest.uploads import Uploaded, UploadRefused
from apps.ingest.web_imports import may_import, start_web_import

router = Router(tags=["imports"])

NO_PERMISSION = "Importing documents takes the 'import documents' permission."


class ProgressOut(Schema):
    files_done: int
    files_total: int
    percent: int
    files_per_second: float
    seconds_left: int | None = Field(description="At the rate so far; null before there is one.")


class ImportOut(Schema):
    id: int
    name: str = Field(description="What was uploaded.")
    status: str = Field(description="queued, running, done or failed.")
    progress: ProgressOut
    summary: str = Field(description="The import's summary line, once done.")
    report: list[str] = Field(description="Warnings and errors, as file:line: message.")
    failure: str = Field(description="Why the import failed (nothing was written then).")
    created: datetime
    started: datetime | None
    finished: datetime | None
    url: str = Field(description="The import's page.")


def import_out(request: HttpRequest, web_import: WebImport) -> dict:
    return {
        "id": web_import.pk,
        "name": web_import.name,
        "status": web_import.status,
        "progress": {
            "files_done": web_import.files_done,
            "files_total": web_import.files_total,
            "percent": web_import.percent_done,
            "files_per_second": web_import.files_per_second,
            "seconds_left": web_import.seconds_left,
        },
        "summary": web_import.summary,
        "report": web_import.report_lines,
        "failure": web_import.failure,
        "created": web_import.created,
        "started": web_import.started,
        "finished": web_import.finished,
        "url": absolute_url(request, reverse("imports:detail", args=[web_import.pk])),
    }


@router.post(
    "/imports",
    response={
        202: ImportOut,
        401: ErrorOut,
        403: ErrorOut,
        **BODY_ERRORS,
        **TOO_MANY_REQUESTS,
    },
    auth=WRITE_AUTH,
    summary="Import .md/.txt documents or a .zip of them, in the background (202)",
)
def import_start(
    request: HttpRequest, files: File[list[UploadedFile] | None] = None
) -> Status[dict]:
    """Send `files` as multipart/form-data: .md or .txt files, or one .zip (a channel's folder
    or a whole repository). Follow the import with `GET /api/imports/{id}`."""
    if not may_import(request.auth):
        raise PermissionDenied(NO_PERMISSION)
    enforce_rate_limit(request, "web_import", user=request.auth)
    # No file at all is refused with the other reasons, naming what to send.
    uploads = [Uploaded(upload.name or "", upload.size or 0, upload) for upload in files or []]
    try:
        web_import = start_web_import(request.auth, uploads)
    except UploadRefused as refused:
        raise ValidationError({"files": ValidationError(str(refused), code="refused")}) from None
    return Status(202, import_out(request, web_import))


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, 401: ErrorOut, **NOT_FOUND, **INVALID},
    auth=WRITE_AUTH,
    summary="An import's status, progress and report",
)
def import_detail(
    request: HttpRequest, import_id: int = Path(..., ge=1, le=MAX_ID, example=1)
) -> dict:
    """Only the person who started an import sees it."""
    # Never the upload itself: polled every second, it would be read each time.
    web_import = WebImport.objects.defer("upload").filter(pk=import_id, owner=request.auth).first()
    if web_import is None:
        raise Http404("No such import.")
    return import_out(request, web_import)

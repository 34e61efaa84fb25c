"""`POST /api/annotations/import`: notes back in from W3C Web Annotations.

The body is an AnnotationCollection as /notes/export.jsonld writes it. Its schema below is
the reader's own rules spelled out (a textual body, a YouTube video target with a Media
Fragments time, an optional quote of the claim), so anything the schema admits is imported,
and anything else is refused whole with 422 before a note is written. The upload on /notes/
reads the same collections and is more forgiving of other shapes (a page, a bare list).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from pydantic import ConfigDict

from apps.annotations.models import MAX_BODY_LENGTH, MAX_TAGS
from apps.api.annotations import BODY_PATTERN
from apps.api.auth import WRITE_AUTH
from apps.api.common import (
    BODY_ERRORS,
    EXAMPLE_END_SECONDS,
    EXAMPLE_NOTE,
    EXAMPLE_SECONDS,
    EXAMPLE_TAGS,
    EXAMPLE_VIDEO_ID,
    NO_NUL,
    ErrorOut,
)
from apps.api.limits import TOO_MANY_REQUESTS, address_limited_before_the_body, enforce_rate_limit
from apps.exports.annotation_import import MAX_NOTES, ImportRefused, annotations_import_document
from apps.exports.web_annotation import ANNOTATION_CONTEXT, EXPORT_CONTEXT, MEDIA_FRAGMENTS

router = Router(tags=["annotations"])

YOUTUBE_WATCH_URL = r"^https://www\.youtube\.com/watch\?v=[A-Za-z0-9_-]{11}$"
# Whole seconds of at most nine digits always fit the database's 32-bit column.
MEDIA_TIME = r"^t=(npt:)?[0-9]{1,9}(\.[0-9]{1,3})?(,[0-9]{1,9}(\.[0-9]{1,3})?)?$"


class _Strict(Schema):
    # Unknown members are refused rather than ignored, so that nothing a client sends is
    # silently dropped; the members a Web Annotation may carry and the reader skips are
    # listed as optional fields of any shape.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class TextualBodyIn(_Strict):
    type: Literal["TextualBody"]
    value: str = Field(max_length=MAX_BODY_LENGTH, pattern=BODY_PATTERN)
    format: Literal["text/markdown", "text/plain", "text/html"] = Field(
        "text/plain", description="Markdown is preferred when a Choice offers several."
    )
    language: Any = None
    purpose: Literal["tagging", "commenting", "replying", "describing"] | None = Field(
        None, description='"tagging": the value is one of the note\'s tags.'
    )


class ChoiceIn(_Strict):
    type: Literal["Choice"]
    items: list[TextualBodyIn] = Field(min_length=1, max_length=10)


class FragmentSelectorIn(_Strict):
    type: Literal["FragmentSelector"]
    value: str = Field(pattern=MEDIA_TIME, examples=["t=69"])
    conformsTo: Literal["http://www.w3.org/TR/media-frags/"] = MEDIA_FRAGMENTS


class TextQuoteSelectorIn(_Strict):
    type: Literal["TextQuoteSelector"]
    exact: str = Field(max_length=20_000, pattern=NO_NUL)
    prefix: Any = None
    suffix: Any = None


class VideoTargetIn(_Strict):
    source: str = Field(
        pattern=YOUTUBE_WATCH_URL, examples=["https://www.youtube.com/watch?v=Wo95ob_s_NI"]
    )
    type: Literal["Video"] = "Video"
    selector: FragmentSelectorIn | None = Field(None, description="The moment of the video.")


class QuoteTargetIn(_Strict):
    source: str = Field(max_length=2_000, description="The episode page.")
    type: Literal["Text"] = "Text"
    format: Any = None
    selector: TextQuoteSelectorIn


ParentIri = Annotated[str, Field(max_length=2_000, pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")]


class WebAnnotationIn(_Strict):
    context: Any = Field(None, alias="@context")
    id: Any = None
    type: Literal["Annotation"]
    motivation: Any = None
    created: Any = None
    modified: Any = None
    creator: Any = None
    generator: Any = None
    visibility: Literal["private", "public"] | None = Field(
        None, description="Kept for your own notes (the creator's nickname is yours)."
    )
    body: (
        TextualBodyIn
        | ChoiceIn
        | Annotated[list[TextualBodyIn | ChoiceIn], Field(min_length=1, max_length=MAX_TAGS + 1)]
        | None
    ) = Field(
        None,
        description="The text (a Choice of formats, or one), and a tagging body per tag; "
        'none for a bookmark (motivation "bookmarking").',
    )
    target: (
        VideoTargetIn
        | Annotated[
            list[VideoTargetIn | QuoteTargetIn | ParentIri], Field(min_length=1, max_length=3)
        ]
    ) = Field(
        description="The video at a moment or range; optionally the claim's text it quotes; "
        'for a reply (motivation "replying"), the IRI of the annotation it replies to.',
    )


class WebAnnotationPageIn(_Strict):
    id: Any = None
    type: Literal["AnnotationPage"]
    startIndex: Any = None
    items: list[WebAnnotationIn] = Field(max_length=MAX_NOTES)


# A collection as /notes/export.jsonld writes it, with one note (a range, tagged) on the
# seed's episode.
COLLECTION_EXAMPLE = {
    "@context": EXPORT_CONTEXT,
    "type": "AnnotationCollection",
    "first": {
        "type": "AnnotationPage",
        "items": [
            {
                "type": "Annotation",
                "motivation": "commenting",
                "visibility": "private",
                "body": [
                    {"type": "TextualBody", "value": EXAMPLE_NOTE, "format": "text/markdown"},
                    {"type": "TextualBody", "purpose": "tagging", "value": EXAMPLE_TAGS[0]},
                ],
                "target": {
                    "source": f"https://www.youtube.com/watch?v={EXAMPLE_VIDEO_ID}",
                    "type": "Video",
                    "selector": {
                        "type": "FragmentSelector",
                        "value": f"t={EXAMPLE_SECONDS},{EXAMPLE_END_SECONDS}",
                        "conformsTo": MEDIA_FRAGMENTS,
                    },
                },
            }
        ],
    },
}


class WebAnnotationCollectionIn(_Strict):
    model_config = ConfigDict(json_schema_extra={"example": COLLECTION_EXAMPLE})

    context: (
        Literal["http://www.w3.org/ns/anno.jsonld"]
        | list[Literal["http://www.w3.org/ns/anno.jsonld"] | dict[str, str]]
    ) = Field(ANNOTATION_CONTEXT, alias="@context")
    id: Any = None
    type: Literal["AnnotationCollection"]
    label: Any = None
    total: Any = None
    first: WebAnnotationPageIn


class ImportOut(Schema):
    created: int = Field(description="Notes written.")
    already_there: int = Field(description="Notes you already had (same video, time and text).")
    skipped: int = Field(description="Notes on videos this site does not have.")
    not_saved: int = Field(
        description="Notes a database error kept out (those before it are saved); "
        "importing the file again adds only these."
    )
    unknown_videos: list[str]
    detail: str = Field(description="The same, in a sentence.")


@router.post(
    "/annotations/import",
    response={200: ImportOut, **BODY_ERRORS, 401: ErrorOut, **TOO_MANY_REQUESTS},
    auth=WRITE_AUTH,
    summary="Import Web Annotations",
)
@decorate_view(address_limited_before_the_body("note_import"))
def annotation_import(request: HttpRequest, payload: WebAnnotationCollectionIn) -> dict:
    """Restore notes from a W3C AnnotationCollection (as /notes/export.jsonld gives), up to
    5 MB: each lands on its episode, at its time, on the claim it quotes. Importing the same
    file twice adds nothing; a file with a note that cannot be saved changes nothing (422).
    Imports are rate-limited per person and per address (429 with Retry-After)."""
    enforce_rate_limit(request, "note_import", user=request.auth, per_address=False)
    # Through JSON, so the reader sees lists and dicts as in the file, never tuples.
    document = json.loads(payload.model_dump_json(by_alias=True, exclude_none=True))
    try:
        report = annotations_import_document(author=request.auth, document=document)
    except ImportRefused as refused:
        # Answered as every other invalid body is (422, a list of issues) by apps.api.
        raise ValidationError(f"Nothing was imported. {refused}", code="refused") from refused
    return {
        "created": report.created,
        "already_there": report.already_there,
        "skipped": report.skipped_for_unknown_videos,
        "not_saved": report.not_saved,
        "unknown_videos": sorted(report.unknown_videos),
        "detail": report.summary(),
    }

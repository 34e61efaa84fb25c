"""`/api/annotations…`: reading and writing notes through the annotations services.

The rules live in `services.py` and `Annotation.objects.visible_to()`; this module only turns
requests into their calls. Someone else's private note is looked up through `visible_to()`,
so it is "not found" (404); someone else's public note is found, and the service refuses to
let anyone but its author change it (403).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from pydantic import ConfigDict

from apps.annotations import services
from apps.annotations.models import MAX_BODY_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, Annotation
from apps.annotations.services import MAX_NOTE_SECONDS
from apps.api.auth import OPTIONAL_AUTH_OPENAPI, WRITE_AUTH, request_user
from apps.api.common import (
    BODY_ERRORS,
    EXAMPLE_ANNOTATION_ID,
    EXAMPLE_CLAIM_ID,
    EXAMPLE_END_SECONDS,
    EXAMPLE_NOTE,
    EXAMPLE_SECONDS,
    EXAMPLE_TAGS,
    EXAMPLE_VIDEO_ID,
    INVALID,
    MAX_ID,
    NOT_FOUND,
    VIDEO_ID,
    ErrorOut,
    Pagination,
    get_or_404,
    json_int,
)
from apps.api.limits import TOO_MANY_REQUESTS, enforce_rate_limit
from apps.episodes.models import Claim, Episode
from apps.exports.responses import web_annotation_response
from apps.exports.web_annotation import ANNOTATION_MEDIA_TYPE

router = Router(tags=["annotations"])

# Some text that is not only spaces (as the service strips them) and holds no NUL. The spaces
# are spelled out because "\s" means different things to JSON Schema, Rust and Python.
_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
BODY_PATTERN = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"
BODY_DESCRIPTION = f"Markdown, up to {MAX_BODY_LENGTH:,} characters."
# Empty (or only spaces) makes a bookmark, a note at a moment to be written up later.
NEW_BODY_PATTERN = r"^[^\x00]*$"
NEW_BODY_DESCRIPTION = (
    f"{BODY_DESCRIPTION} Left empty (no `parent`), the note is a bookmark to write up later. "
    "`#words` in it are tags too."
)
TAG_PATTERN = rf"^#?[A-Za-z0-9-]{{1,{MAX_TAG_LENGTH}}}$"
Tags = list[Annotated[str, Field(pattern=TAG_PATTERN)]]
TAGS_DESCRIPTION = (
    f"Words of letters, digits and -, lower-cased as stored; at most {MAX_TAGS} a note "
    "(with the body's #words)."
)

Visibility = Literal["private", "public"]
ClaimId = json_int(ge=1, le=MAX_ID)
NoteId = json_int(ge=1, le=MAX_ID)
# A note's moment is within a day; within its episode when the length is known (422 past it).
Seconds = json_int(ge=0, le=MAX_NOTE_SECONDS)
UNAUTHORIZED = {401: ErrorOut}
FORBIDDEN = {403: ErrorOut}
# Writes, each counted against the author's and the address's rates (settings.RATE_LIMITS).
WRITE_ERRORS = {**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND, **TOO_MANY_REQUESTS}
WEB_ANNOTATION_OPENAPI = {
    "responses": {
        200: {
            "content": {
                ANNOTATION_MEDIA_TYPE: {
                    "schema": {
                        "type": "object",
                        "description": "A W3C Web Annotation, when the Accept header asks.",
                    }
                }
            }
        }
    }
}


class AnnotationOut(Schema):
    id: int
    episode: str = Field(description="The episode's video_id.")
    claim_id: int | None = Field(description="Null for a note at a moment, or detached.")
    seconds: int | None
    end_seconds: int | None = Field(description="The end of the note's range, if it has one.")
    body: str = Field(description="The Markdown source; empty for a bookmark.")
    body_html: str = Field(description="The body as sanitised HTML.")
    visibility: Visibility
    author: str = Field(description="The author's username.")
    quote: str = Field(description="The claim's text when the note was written.")
    tags: list[str] = Field(description="Its tags, lower-cased, as given and from #words.")
    parent: int | None = Field(description="The note this one replies to.")
    replies: int = Field(description="How many replies to it you may see.")
    created: datetime
    updated: datetime

    @staticmethod
    def resolve_episode(annotation: Annotation) -> str:
        return annotation.episode.video_id

    @staticmethod
    def resolve_author(annotation: Annotation) -> str:
        return annotation.author.get_username()

    @staticmethod
    def resolve_body_html(annotation: Annotation) -> str:
        return str(annotation.body_html)

    @staticmethod
    def resolve_tags(annotation: Annotation) -> list[str]:
        return annotation.tag_names

    @staticmethod
    def resolve_parent(annotation: Annotation) -> int | None:
        return annotation.parent_id

    @staticmethod
    def resolve_replies(annotation: Annotation) -> int:
        # Lists count in their query (annotations_for_api); a note just written has none.
        return getattr(annotation, "reply_count", 0)


class AnnotationIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "episode": EXAMPLE_VIDEO_ID,
                "claim_id": EXAMPLE_CLAIM_ID,
                "seconds": EXAMPLE_SECONDS,
                "end_seconds": EXAMPLE_END_SECONDS,
                "body": EXAMPLE_NOTE,
                "visibility": "private",
                "tags": EXAMPLE_TAGS,
            }
        },
    )

    episode: str = Field(pattern=VIDEO_ID)
    claim_id: ClaimId | None = Field(
        None, description="The claim the note is on; it must be the episode's."
    )
    seconds: Seconds | None = Field(
        None,
        description="The moment; defaults to the claim's first timestamp (a reply's: its note's).",
    )
    end_seconds: Seconds | None = Field(
        None, description="The end of a range: after `seconds`, within the episode."
    )
    body: str = Field(
        "", max_length=MAX_BODY_LENGTH, pattern=NEW_BODY_PATTERN, description=NEW_BODY_DESCRIPTION
    )
    visibility: Visibility = "private"
    tags: Tags = Field([], max_length=MAX_TAGS, description=TAGS_DESCRIPTION)
    parent: NoteId | None = Field(
        None,
        description="Reply to this public note (one level deep: a reply to a reply goes under "
        "the note that began the thread).",
    )


class AnnotationPatchIn(Schema):
    """Only the fields sent change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "body": EXAMPLE_NOTE,
                "visibility": "public",
                "seconds": EXAMPLE_SECONDS,
                "end_seconds": EXAMPLE_END_SECONDS,
                "tags": EXAMPLE_TAGS,
            }
        },
    )

    body: str = Field(
        None, max_length=MAX_BODY_LENGTH, pattern=BODY_PATTERN, description=BODY_DESCRIPTION
    )
    visibility: Visibility = None
    seconds: Seconds = Field(None, description="A new moment; the note moves to its claim.")
    end_seconds: Seconds = Field(
        None, description="A new end of its range, after `seconds`; 0 makes it a moment again."
    )
    tags: Tags = Field(None, max_length=MAX_TAGS, description=f"Its new tags. {TAGS_DESCRIPTION}")


def annotations_for_api(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Annotation]:
    """The notes `user` may see, each with its tags and the count of replies `user` may see."""
    return (
        Annotation.objects.visible_to(user).select_related("episode", "author").with_threads(user)
    )


def visible_annotation(request: HttpRequest, annotation_id: int) -> Annotation:
    user = getattr(request, "auth", None) or request_user(request)
    return get_or_404(
        annotations_for_api(user), f"No annotation {annotation_id}.", pk=annotation_id
    )


# Optional filters are typed without None so that the schema does not offer null, which a
# query string cannot carry; a missing parameter still arrives as None.


@router.get(
    "/annotations",
    response={200: list[AnnotationOut], **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    summary="List the annotations you may see",
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
)
@paginate(Pagination)
def annotation_list(
    request: HttpRequest,
    episode: str = Query(
        None,
        pattern=VIDEO_ID,
        description="An episode's video_id; 404 when unknown.",
        example=EXAMPLE_VIDEO_ID,
    ),
    claim: int = Query(
        None,
        ge=1,
        le=MAX_ID,
        description="A claim's id; 404 when unknown.",
        example=EXAMPLE_CLAIM_ID,
    ),
    # No example: ninja drops a false one, and true would answer 401 to a reader signed out.
    mine: bool = Query(False, description="Only your own (needs a token or a session)."),
    tag: str = Query(
        None, pattern=TAG_PATTERN, description="Only those with this tag.", example="rl"
    ),
    parent: int = Query(
        None,
        ge=1,
        le=MAX_ID,
        description="Only the replies to this note.",
        example=EXAMPLE_ANNOTATION_ID,
    ),
) -> QuerySet[Annotation]:
    """Public notes and your own private ones, newest first."""
    user = request_user(request)
    annotations = annotations_for_api(user).newest_first()
    if episode is not None:
        annotations = annotations.filter(
            episode=get_or_404(Episode.objects, f"No episode {episode}.", video_id=episode)
        )
    if claim is not None:
        annotations = annotations.filter(
            claim=get_or_404(Claim.objects, f"No claim {claim}.", pk=claim)
        )
    if mine:
        if not user.is_authenticated:
            raise AuthenticationError(401, "Send a token (or sign in) to list your own notes.")
        annotations = annotations.filter(author=user)
    if tag is not None:
        annotations = annotations.filter(tags__name=tag.removeprefix("#").lower())
    if parent is not None:
        annotations = _replies_to(annotations, parent, user)
    return annotations


def _replies_to(
    annotations: QuerySet[Annotation], parent: int, user: AbstractBaseUser | AnonymousUser
) -> QuerySet[Annotation]:
    """The replies to `parent` when `user` may see it, or it is a deleted note's placeholder
    (its thread stays readable); none under another's note made private, as under no note."""
    seen = Q(parent__in=Annotation.objects.visible_to(user)) | Q(parent__deleted=True)
    return annotations.filter(seen, parent_id=parent)


@router.post(
    "/annotations",
    response={201: AnnotationOut, **BODY_ERRORS, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Write an annotation",
)
def annotation_create(request: HttpRequest, payload: AnnotationIn) -> Status[Annotation]:
    """A note on a claim, or at a moment of the episode; private unless you say public."""
    enforce_rate_limit(request, "note_write", user=request.auth)
    episode = get_or_404(
        Episode.objects, f"No episode {payload.episode}.", video_id=payload.episode
    )
    claim = None
    if payload.claim_id is not None:
        claim = get_or_404(
            Claim.objects.select_related("article"),
            f"Episode {episode.video_id} has no claim {payload.claim_id}.",
            pk=payload.claim_id,
            article__episode=episode,
        )
    if payload.parent is not None:
        # Like a claim, a note one may not see is not found; one that may not be replied to
        # (private, or on another episode) is the service's 422.
        visible_annotation(request, payload.parent)
    annotation = services.annotation_create(
        author=request.auth,
        episode=episode,
        claim=claim,
        seconds=payload.seconds,
        end_seconds=payload.end_seconds,
        body=payload.body,
        visibility=payload.visibility,
        tags=payload.tags,
        parent=payload.parent,
        allow_bookmark=True,
    )
    return Status(201, annotation)


@router.get(
    "/annotations/{annotation_id}",
    response={200: AnnotationOut, **UNAUTHORIZED, **NOT_FOUND, **INVALID},
    summary="Read an annotation",
    openapi_extra={**OPTIONAL_AUTH_OPENAPI, **WEB_ANNOTATION_OPENAPI},
)
def annotation_detail(
    request: HttpRequest,
    response: HttpResponse,
    annotation_id: int = Path(..., ge=1, le=MAX_ID, example=EXAMPLE_ANNOTATION_ID),
) -> Annotation | HttpResponse:
    """As JSON; or, asked with `Accept: application/ld+json;
    profile="http://www.w3.org/ns/anno.jsonld"`, as a W3C Web Annotation (JSON-LD)."""
    annotation = visible_annotation(request, annotation_id)
    patch_vary_headers(response, ["Accept"])
    return web_annotation_response(request, annotation) or annotation


@router.patch(
    "/annotations/{annotation_id}",
    response={200: AnnotationOut, **BODY_ERRORS, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change your annotation's body, visibility, time, range or tags",
)
def annotation_update(
    request: HttpRequest,
    payload: AnnotationPatchIn,
    annotation_id: int = Path(..., ge=1, le=MAX_ID, example=EXAMPLE_ANNOTATION_ID),
) -> Annotation:
    enforce_rate_limit(request, "note_write", user=request.auth)
    return services.annotation_update(
        annotation=visible_annotation(request, annotation_id),
        actor=request.auth,
        body=payload.body,
        visibility=payload.visibility,
        seconds=payload.seconds,
        end_seconds=payload.end_seconds,
        tags=payload.tags,
    )


@router.delete(
    "/annotations/{annotation_id}",
    response={204: None, **WRITE_ERRORS, **INVALID},
    auth=WRITE_AUTH,
    summary="Delete your annotation",
)
def annotation_delete(
    request: HttpRequest,
    annotation_id: int = Path(..., ge=1, le=MAX_ID, example=EXAMPLE_ANNOTATION_ID),
) -> Status[None]:
    enforce_rate_limit(request, "note_write", user=request.auth)
    services.annotation_delete(
        annotation=visible_annotation(request, annotation_id), actor=request.auth
    )
    return Status(204, None)

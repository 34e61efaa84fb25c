"""`/api/timestamps…` and `/api/corrections…`: mending the notes' times; an episode's length.

The rules live in `apps.episodes.corrections` and `apps.episodes.durations`; this module only
turns requests into their calls. What the schema allows but the state refuses is a conflict
(409): a correction not in the state asked for (applying one already applied, reverting one
no longer in force), a time the timestamp already reads or past the episode's known end, a
length far from the one known.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.utils import check_csrf
from pydantic import ConfigDict, StrictBool

from apps.accounts.limits import client_address
from apps.api.auth import WRITE_AUTH, request_user
from apps.api.common import (
    BODY_ERRORS,
    EXAMPLE_SECONDS,
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
from apps.episodes import corrections
from apps.episodes.durations import LONGEST_DURATION, duration_report, reporter_keys
from apps.episodes.models import Episode, Timestamp, TimestampCorrection

router = Router(tags=["corrections"])

UNAUTHORIZED = {401: ErrorOut}
FORBIDDEN = {403: ErrorOut}
CONFLICT = {409: ErrorOut}
WRITE_ERRORS = {**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND, **TOO_MANY_REQUESTS}
Seconds = json_int(ge=0, le=corrections.LONGEST_EPISODE_SECONDS)


class CorrectionIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"seconds": EXAMPLE_SECONDS, "reason": "Said a few seconds later."}
        },
    )

    seconds: Seconds = Field(description="The time the timestamp should read, in seconds.")
    reason: str = Field(
        "", max_length=corrections.REASON_LENGTH, pattern=r"^[^\x00]*$", description="Why."
    )
    apply: StrictBool = Field(
        False,
        description="Apply it at once (needs the permission to correct timestamps; 403 without).",
    )


class CorrectionOut(Schema):
    id: int
    timestamp_id: int | None = Field(description="Its timestamp now; null if a re-import lost it.")
    status: Literal["proposed", "applied", "reverted"]
    seconds_from: int = Field(description="What the timestamp read before (when applied).")
    seconds_to: int
    source_seconds: int = Field(description="What the document itself says there.")
    reason: str
    proposed_by: str | None
    created: datetime
    applied_by: str | None
    applied: datetime | None
    reverted_by: str | None
    reverted: datetime | None

    @staticmethod
    def resolve_timestamp_id(correction: TimestampCorrection) -> int | None:
        timestamp = getattr(correction, "timestamp", None) or corrections.timestamp_of(correction)
        return timestamp.pk if timestamp else None

    @staticmethod
    def resolve_proposed_by(correction: TimestampCorrection) -> str | None:
        return _name(correction.proposed_by)

    @staticmethod
    def resolve_applied_by(correction: TimestampCorrection) -> str | None:
        return _name(correction.applied_by)

    @staticmethod
    def resolve_reverted_by(correction: TimestampCorrection) -> str | None:
        return _name(correction.reverted_by)


def _name(user) -> str | None:
    return user.get_username() if user is not None else None


def _timestamp(timestamp_id: int) -> Timestamp:
    return get_or_404(
        Timestamp.objects.select_related("claim", "episode"),
        f"No timestamp {timestamp_id}.",
        pk=timestamp_id,
    )


def _correction(correction_id: int) -> TimestampCorrection:
    return get_or_404(
        TimestampCorrection.objects.select_related("proposed_by", "applied_by", "reverted_by"),
        f"No correction {correction_id}.",
        pk=correction_id,
    )


@router.get(
    "/timestamps/{timestamp_id}/corrections",
    response={200: list[CorrectionOut], **NOT_FOUND, **INVALID},
    summary="A timestamp's corrections, newest first",
)
@paginate(Pagination)
def timestamp_correction_list(
    request: HttpRequest, timestamp_id: int = Path(..., ge=1, le=MAX_ID, example=1)
) -> list[TimestampCorrection]:
    """Proposals, corrections in force and those reverted, with who did what and when."""
    timestamp = _timestamp(timestamp_id)
    history = list(corrections.corrections_of(timestamp))
    for correction in history:
        correction.timestamp = timestamp
    return history


@router.post(
    "/timestamps/{timestamp_id}/corrections",
    response={201: CorrectionOut, **BODY_ERRORS, **WRITE_ERRORS, **CONFLICT},
    auth=WRITE_AUTH,
    summary="Propose (or make) a correction of a timestamp",
)
def timestamp_correction_create(
    request: HttpRequest,
    payload: CorrectionIn,
    timestamp_id: int = Path(..., ge=1, le=MAX_ID, example=1),
) -> Status:
    """A new time for the timestamp: a proposal, or with `apply` a correction in force."""
    enforce_rate_limit(request, "correction_write", user=request.auth)
    timestamp = _timestamp(timestamp_id)
    values = {"timestamp": timestamp, "seconds": payload.seconds, "reason": payload.reason}
    with refused_as_conflict():
        if payload.apply:
            correction = corrections.correction_make(corrector=request.auth, **values)
        else:
            correction = corrections.correction_propose(proposer=request.auth, **values)
    return Status(201, _correction(correction.pk))


@contextmanager
def refused_as_conflict() -> Iterator[None]:
    """A service's refusal of what the schema allows, answered 409 with its reason."""
    try:
        yield
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from None


def _decide(request: HttpRequest, correction_id: int, decide) -> TimestampCorrection:
    enforce_rate_limit(request, "correction_write", user=request.auth)
    correction = _correction(correction_id)
    with refused_as_conflict():
        decide(correction=correction, corrector=request.auth)
    return _correction(correction_id)


@router.post(
    "/corrections/{correction_id}/apply",
    response={200: CorrectionOut, **WRITE_ERRORS, **CONFLICT, **INVALID},
    auth=WRITE_AUTH,
    summary="Apply a proposed correction",
)
def correction_apply(
    request: HttpRequest, correction_id: int = Path(..., ge=1, le=MAX_ID, example=1)
) -> TimestampCorrection:
    """The timestamp reads the proposed time everywhere (permission "correct timestamps")."""
    return _decide(request, correction_id, corrections.correction_apply)


@router.post(
    "/corrections/{correction_id}/revert",
    response={200: CorrectionOut, **WRITE_ERRORS, **CONFLICT, **INVALID},
    auth=WRITE_AUTH,
    summary="Revert the correction in force",
)
def correction_revert(
    request: HttpRequest, correction_id: int = Path(..., ge=1, le=MAX_ID, example=1)
) -> TimestampCorrection:
    """The timestamp reads what it read before (permission "correct timestamps")."""
    return _decide(request, correction_id, corrections.correction_revert)


class DurationIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"seconds": 3000}})

    seconds: json_int(ge=1, le=LONGEST_DURATION) = Field(
        description="The video's length as the player reports it, in whole seconds."
    )


class DurationOut(Schema):
    video_id: str
    duration_seconds: int | None
    changed: bool = Field(description="Whether this report set or moved the known length.")


@router.post(
    "/episodes/{video_id}/duration",
    response={
        200: DurationOut,
        **BODY_ERRORS,
        **FORBIDDEN,
        **NOT_FOUND,
        **CONFLICT,
        **TOO_MANY_REQUESTS,
    },
    summary="Report an episode's length, as the player knows it",
)
def episode_duration_report(
    request: HttpRequest,
    payload: DurationIn,
    video_id: str = Path(..., pattern=VIDEO_ID, example=EXAMPLE_VIDEO_ID),
) -> dict:
    """Anyone's player may report it (with the CSRF header when it sends a session cookie).

    The length is set by staff's report, or once two independent reporters (different people
    and addresses) agree on it. Players' reports never move a length staff set (one farther
    than a little from it is refused), and replace one players agreed on only with one more
    players agree on: nobody alone can make an episode longer or shorter than it is.
    """
    if not request.headers.get("Authorization") and check_csrf(request) is not None:
        raise HttpError(403, "CSRF check failed: send the csrftoken cookie's value as X-CSRFToken.")
    user = request_user(request)
    enforce_rate_limit(request, "duration_report", user=user)
    episode = get_or_404(Episode.objects, f"No episode {video_id}.", video_id=video_id)
    reporter, address = reporter_keys(user_id=user.pk, address=client_address(request))
    trusted = bool(user.is_authenticated and user.is_active and user.is_staff)
    with refused_as_conflict():
        changed = duration_report(
            episode=episode,
            seconds=payload.seconds,
            reporter=reporter,
            address=address,
            trusted=trusted,
        )
    episode.refresh_from_db(fields=["duration_seconds"])
    return {"video_id": video_id, "duration_seconds": episode.duration_seconds, "changed": changed}

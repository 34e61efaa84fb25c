"""What every API router shares: the error bodies, pagination and bounded parameter types.

The bounds are part of the contract: a value the database could not store (an id past 64 bits,
a NUL character in a string) is refused as invalid input, never passed on to become a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1
MAX_ID = 2**63 - 1
MAX_SECONDS = 2**31 - 1
MAX_QUERY_LENGTH = 200

# PostgreSQL cannot store or compare strings holding NUL, so no parameter may carry one.
NO_NUL = r"^[^\x00]*$"
VIDEO_ID = r"^[A-Za-z0-9_-]{11}$"

# What the docs' "Try it out" fills in: the seed's episode, and values a person would send.
EXAMPLE_VIDEO_ID = "Wo95ob_s_NI"
# Claim 4 is in the seed episode of a site set up with `make run` (the README uses it too).
EXAMPLE_CLAIM_ID = 4
EXAMPLE_ANNOTATION_ID = 57
EXAMPLE_SECONDS = 754
EXAMPLE_END_SECONDS = 790
EXAMPLE_TAGS = ["rl", "to-check"]
EXAMPLE_QUERY = "base model"
EXAMPLE_NOTE = "The *base model* point again: compare with [the RL section](#rl) at 12:34."


def _whole_number(value: Any) -> Any:
    # JSON Schema's "integer" is any whole number (so 840.0 too), and never true or "840".
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("int_type", "Input should be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise PydanticCustomError("int_from_float", "Input should be a whole number")
        return int(value)
    return value


def json_int(*, ge: int, le: int) -> Any:
    """An integer in a JSON body, read as JSON Schema reads "integer" (query strings use int)."""
    # The bounds come first, or pydantic would not render them as minimum and maximum.
    return Annotated[int, Field(ge=ge, le=le), BeforeValidator(_whole_number)]


class ErrorOut(Schema):
    detail: str


class ValidationIssueOut(Schema):
    loc: list[str | int] = Field(description="Where: the part of the request, then the field.")
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ValidationIssueOut]


NOT_FOUND = {404: ErrorOut}
INVALID = {422: ValidationErrorOut}
# What a request with a JSON body can get wrong: unreadable JSON, too big, not JSON, invalid.
BODY_ERRORS = {400: ErrorOut, 413: ErrorOut, 415: ErrorOut, **INVALID}


class Pagination(LimitOffsetPagination):
    """`limit` (default 50, capped at 500) and `offset`; the body is `{items, count}`."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            description=f"Items per page; larger values are capped at {MAX_LIMIT}.",
            json_schema_extra={"example": 20},
        )
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description="Items to skip.", json_schema_extra={"example": 0}
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], message: str, **lookup: Any) -> M:
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(message) from None


def absolute_url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)

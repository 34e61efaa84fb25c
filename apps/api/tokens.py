"""`/api/tokens…`: personal tokens for scripts, made with a username and password."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from pydantic import ConfigDict

from apps.accounts import tokens
from apps.accounts.usernames import normalize
from apps.api.auth import WRITE_AUTH
from apps.api.common import BODY_ERRORS, INVALID, NO_NUL, NOT_FOUND, ErrorOut
from apps.api.limits import enforce_rate_limit

router = Router(tags=["tokens"])

NAME_DESCRIPTION = tokens.NAME_RULE


class TokenIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"username": "ada", "password": "your password", "name": "laptop-script"}
        },
    )

    username: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=4096, pattern=NO_NUL)
    name: str = Field(
        pattern=tokens.NAME_PATTERN, description=f"Yours to choose. {NAME_DESCRIPTION}"
    )


class TokenOut(Schema):
    token: str = Field(description="Send it as `Authorization: Bearer <token>`. Shown once.")
    name: str


@router.post(
    "/tokens",
    response={
        201: TokenOut,
        **BODY_ERRORS,
        401: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },
    summary="Make a personal token",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, str]]:
    """Your username and password buy a token; only its hash is kept, so save it now.

    Failed attempts count towards the same lock-out as the sign-in page (429 when locked).
    Each try is a sign-in attempt, rate-limited per address as the sign-in page is; tokens made
    are rate-limited per address and per person (429 with Retry-After).
    """
    enforce_rate_limit(request, "signin")
    # Stored NFKC-normalised, as the sign-in form looks names up: fullwidth "ada" is "ada".
    username = normalize(payload.username)
    user = authenticate(request, username=username, password=payload.password)
    if user is None:
        raise AuthenticationError(401, "Wrong username or password.")
    enforce_rate_limit(request, "token", user=user)
    try:
        token, key = tokens.api_token_create(user=user, name=payload.name)
    except ValidationError as error:
        if any(e.code == "unique" for e in error.error_dict.get("name", [])):
            raise HttpError(409, error.message_dict["name"][0]) from None
        raise
    return Status(201, {"token": key, "name": token.name})


@router.delete(
    "/tokens/{name}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, **NOT_FOUND, **INVALID},
    auth=WRITE_AUTH,
    summary="Revoke one of your tokens",
)
def token_delete(
    request: HttpRequest,
    name: str = Path(
        ..., pattern=tokens.NAME_PATTERN, description=NAME_DESCRIPTION, example="laptop-script"
    ),
) -> Status[None]:
    if not tokens.api_token_revoke(user=request.auth, name=name):
        raise Http404(f"You have no token named {name!r}.")
    return Status(204, None)

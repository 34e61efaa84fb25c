"""Adding an episode by its YouTube address: `POST /api/episodes`.

The operation joins the episodes router (`GET /api/episodes` is the same path there: Django
would send a POST to whichever router's URL came first), from a module of its own.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from apps.api.auth import WRITE_AUTH
from apps.api.common import BODY_ERRORS, NO_NUL, ErrorOut, absolute_url
from apps.api.episodes import router
from apps.api.limits import TOO_MANY_REQUESTS, enforce_rate_limit
from apps.episodes.adding import add_episode


class EpisodeAddIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "url": "https://youtu.be/Wo95ob_s_NI?t=754",
                "title": "Andrej Karpathy — AGI is still a decade away",
            }
        },
    )

    url: str = Field(
        max_length=2000,
        pattern=NO_NUL,
        description="Any YouTube address of the video (watch?v=, youtu.be/, /shorts/, /embed/, "
        "/live/, m. or music. hosts, with t= or si=), or its 11-character id.",
        examples=["https://youtu.be/Wo95ob_s_NI?t=754"],
    )
    title: str = Field(
        default="",
        max_length=500,
        pattern=NO_NUL,
        description="The episode's title; when empty, read from YouTube where the site allows "
        "it, else the episode stays untitled.",
        examples=["Andrej Karpathy — AGI is still a decade away"],
    )


class EpisodeAddedOut(Schema):
    video_id: str
    title: str = Field(description="As shown: 'Episode <video_id>' while untitled.")
    created: bool = Field(description="False when the episode existed already.")
    url: str = Field(description="The episode page, where it can be watched and annotated.")
    youtube_url: str


@router.post(
    "/episodes",
    response={
        200: EpisodeAddedOut,
        201: EpisodeAddedOut,
        401: ErrorOut,
        403: ErrorOut,
        **BODY_ERRORS,
        **TOO_MANY_REQUESTS,
    },
    auth=WRITE_AUTH,
    summary="Add an episode by its YouTube address (201), or find it (200)",
)
def episode_add(request: HttpRequest, payload: EpisodeAddIn) -> Status[dict]:
    enforce_rate_limit(request, "episode_add", user=request.auth)
    episode, created = add_episode(payload.url, payload.title, request.auth)
    return Status(
        201 if created else 200,
        {
            "video_id": episode.video_id,
            "title": episode.display_title,
            "created": created,
            "url": absolute_url(request, episode.get_absolute_url()),
            "youtube_url": episode.youtube_url,
        },
    )

"""The lookups of the paths people take most, each compiled once (`compiled.py`).

Every request of an episode's page, its timeline or its notes looks the episode up by its
video id; a note written on the episode page looks its claim up in the episode (the form),
then again under a lock inside the write's transaction (the service), then reads its first
moment. Each of these cost more to build through the ORM than to run.
"""

from __future__ import annotations

from django.http import Http404

from apps.episodes.compiled import CompiledQuery, field_names
from apps.episodes.models import Channel, Claim, Episode, Timestamp

_CLAIM, _EPISODE = -918_273_648, -918_273_649
_VIDEO_ID = "stand-in-video-id"


_CLAIM_FIELDS = field_names(Claim)

_EPISODE_BY_VIDEO_ID = CompiledQuery(
    lambda video_id: Episode.objects.filter(video_id=video_id).values_list(*field_names(Episode)),
    video_id=_VIDEO_ID,
)
_EPISODE_WITH_CHANNEL = CompiledQuery(
    lambda video_id: Episode.objects.filter(video_id=video_id).values_list(
        *field_names(Episode), *(f"channel__{name}" for name in field_names(Channel))
    ),
    video_id=_VIDEO_ID,
)

_IN_EPISODE = CompiledQuery(
    lambda claim_id, episode_id: Claim.objects.filter(
        pk=claim_id, article__episode_id=episode_id
    ).values_list(*_CLAIM_FIELDS, "article__id", "article__episode_id"),
    claim_id=_CLAIM,
    episode_id=_EPISODE,
)
# NO KEY: a lock that the foreign-key checks of other notes on the claim do not wait for.
_HELD = CompiledQuery(
    lambda claim_id: (
        Claim.objects.select_for_update(no_key=True).filter(pk=claim_id).values_list(*_CLAIM_FIELDS)
    ),
    claim_id=_CLAIM,
)
_FIRST_SECOND = CompiledQuery(
    lambda claim_id: (
        Timestamp.objects.filter(claim_id=claim_id).order_by("position").values_list("seconds")[:1]
    ),
    claim_id=_CLAIM,
)


def episode_or_404(video_id: str, *, with_channel: bool = False) -> Episode:
    """The episode of this video id (with its channel, or None, loaded), else Http404."""
    query = _EPISODE_WITH_CHANNEL if with_channel else _EPISODE_BY_VIDEO_ID
    found = query.objects(video_id=video_id)
    if not found:
        raise Http404("No Episode matches the given query.")
    return found[0]


def claim_in_episode(claim_id: int, episode_id: int) -> Claim | None:
    """The claim, if it is in the episode; its article comes with its episode's id loaded
    (and its other fields deferred)."""
    found = _IN_EPISODE.objects(claim_id=claim_id, episode_id=episode_id)
    return found[0] if found else None


def claim_held(claim_id: int) -> Claim | None:
    """The claim, locked until the transaction ends (on PostgreSQL; SQLite's writer holds
    the whole database already), or None when it is gone."""
    found = _HELD.objects(claim_id=claim_id)
    return found[0] if found else None


def first_second(claim_id: int) -> int | None:
    """The claim's first timestamp's moment, in seconds."""
    found = _FIRST_SECOND.rows(claim_id=claim_id)
    return found[0][0] if found else None

"""The lookups of claims that writing a note makes, each compiled once (`compiled.py`).

A note written on the episode page looks its claim up in the episode (the form), then again
under a lock inside the write's transaction (the service), then reads its first moment: on
the path the people who annotate take most, each cost more to build than to run.
"""

from __future__ import annotations

from apps.episodes.compiled import CompiledQuery
from apps.episodes.models import Claim, Timestamp

_CLAIM, _EPISODE = -918_273_648, -918_273_649
_CLAIM_FIELDS = tuple(field.attname for field in Claim._meta.concrete_fields)

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

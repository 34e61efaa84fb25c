"""An episode's length, as the players of its readers report it.

YouTube's player knows the length once a video loads; the page sends it once. Anyone's
player may (the request is anonymous), so the length that bounds notes, marks, clips and
corrections (`Episode.duration_seconds`) is taken only from someone trusted:

- staff's player (or staff, through the admin) sets it alone; reports never
  overturn such a length, and one farther than the tolerance from it is refused;
- otherwise two independent reporters (different people *and* different addresses) must
  agree on it within the tolerance. A reporter's later report replaces their earlier one, so
  one machine counts once however often it reports.

An agreed length does not drift: reports close to it only agree with it, whatever they say
within the tolerance, so nobody walks it down in small steps. A different length agreed by
more independent reporters than agree with the current one replaces it, so two liars who
got in first are outvoted by the players of real readers.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import salted_hmac

from apps.episodes.models import ContentVersion, DurationReport, Episode
from apps.reader.timecode import format_timecode

SHORTEST_DURATION = 1
LONGEST_DURATION = 48 * 3600
# A length agrees with another within this many seconds, or this share of the other when that
# is more (players round it differently).
TOLERANCE_SECONDS = 5
TOLERANCE_SHARE = 0.02
AGREEING_REPORTERS = 2
# The newest reports weighed; a length's question is settled long before this many.
REPORTS_WEIGHED = 500


def reporter_keys(*, user_id: int | None, address: str | None) -> tuple[str, str]:
    """Who reports (the person, else the address) and from where, as stored: keyed hashes."""
    place = salted_hmac("duration-report-address", address or "").hexdigest()
    who = f"user:{user_id}" if user_id is not None else f"address:{place}"
    return salted_hmac("duration-reporter", who).hexdigest(), place


def agree(length: int, reference: int) -> bool:
    return abs(length - reference) <= max(TOLERANCE_SECONDS, reference * TOLERANCE_SHARE)


def duration_report(
    *, episode: Episode, seconds: int, reporter: str, address: str, trusted: bool = False
) -> bool:
    """Take a report of `episode`'s length; whether the known length changed.

    `reporter` and `address` come from `reporter_keys`; `trusted` is staff's report.
    """
    if not SHORTEST_DURATION <= seconds <= LONGEST_DURATION:
        raise ValidationError(
            {"seconds": f"A length from 1 second to {format_timecode(LONGEST_DURATION)}."},
            code="out_of_range",
        )
    with transaction.atomic():
        # One report at a time per episode: two agreeing at once must see each other.
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        known = episode.duration_seconds
        settled = known is not None and not episode.duration_agreed
        if settled and not agree(seconds, known):
            raise ValidationError(
                {"seconds": f"The episode is known to last {format_timecode(known)}."},
                code="too_far",
            )
        if trusted:
            return _set(episode, seconds, agreed=False)
        DurationReport.objects.update_or_create(
            episode=episode, reporter=reporter, defaults={"seconds": seconds, "address": address}
        )
        if settled:
            return False
        agreed = _agreed_length(episode, known)
        return agreed is not None and _set(episode, agreed, agreed=True)


def _agreed_length(episode: Episode, known: int | None) -> int | None:
    """The length the most independent reporters agree on, if it should replace `known`."""
    reports = DurationReport.objects.filter(episode=episode).order_by("-reported")
    places: dict[int, set[str]] = defaultdict(set)
    for seconds, address in reports.values_list("seconds", "address")[:REPORTS_WEIGHED]:
        places[seconds].add(address)

    def support(length: int) -> set[str]:
        return set().union(*(where for said, where in places.items() if agree(said, length)))

    best, backers = None, set()
    for said in sorted(places):
        behind = support(said)
        if len(behind) > len(backers):
            best, backers = said, behind
    if best is None or len(backers) < AGREEING_REPORTERS:
        return None
    if known is not None and (agree(best, known) or len(backers) <= len(support(known))):
        return None  # it agrees with the known length, or is not backed by more reporters
    agreeing = sorted(said for said in places if agree(said, best))
    return agreeing[len(agreeing) // 2]


def _set(episode: Episode, seconds: int, *, agreed: bool) -> bool:
    if (episode.duration_seconds, episode.duration_agreed) == (seconds, agreed):
        return False
    if episode.duration_seconds == seconds:  # staff confirm what players agreed on
        episode.duration_agreed = agreed
        episode.save(update_fields=["duration_agreed"])
        return False
    with ContentVersion.changing():
        # The page's length and its timeline come from it: kept pages must follow.
        episode.duration_seconds, episode.duration_agreed = seconds, agreed
        episode.save(update_fields=["duration_seconds", "duration_agreed"])
    return True

"""Timestamp corrections: proposed by anyone signed in, applied and reverted by some.

Every write goes through the keyword-only functions here, called alike by the pages and the
API, so the rules live in one place:
- anyone signed in proposes a new time for a timestamp, with an optional reason;
- people allowed to correct timestamps (`can_correct`: staff, or the "correct timestamps"
  permission) apply a proposal, correct directly (a proposal applied at once), and revert
  the correction in force;
- applying and reverting rewrite the timestamp's row and its link in the claim's HTML, and
  move the content version on, so kept pages and JSON follow at once.

A correction names its timestamp by what survives a re-import (article, claim key, position);
`reapply_corrections` puts the corrections in force back after the importer rewrote an article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from apps.episodes.models import Article, Claim, ContentVersion, Timestamp, TimestampCorrection
from apps.reader.timecode import format_timecode

# A time past this is no time in any video, whatever its length is thought to be.
LONGEST_EPISODE_SECONDS = 48 * 3600
REASON_LENGTH = TimestampCorrection._meta.get_field("reason").max_length

# A timestamp's link as the reader writes it (`InlineContext.timestamp_link`), or as a
# correction rewrote it: the n-th one in a claim's HTML is its timestamp at position n.
_TIMESTAMP_LINK = re.compile(
    r'<a class="ts(?: ts--corrected)?" href="(?P<href>[^"]*?)t=\d+s" data-seconds="\d+"'
    r'(?: title="[^"]*")?>[^<]*</a>'
)
Status = TimestampCorrection.Status
# Without a known length, a time this late is more likely minutes written as hours.
SUSPECT_WITHOUT_DURATION = 6 * 3600


def mmss_reading(seconds: int) -> int | None:
    """The time a `MM:SS:00` slip meant (42:34:00 → 42:34), or None when it cannot be one."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if secs or not hours:
        return None
    return hours * 60 + minutes


def implausible(seconds: int, duration: int | None) -> bool:
    """Past the episode's end, or, its length unknown, later than episodes run."""
    return seconds > duration if duration else seconds >= SUSPECT_WITHOUT_DURATION


def can_correct(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether `user` may apply, make and revert corrections: staff by default."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.has_perm("episodes.correct_timestamps")


def corrections_of(timestamp: Timestamp) -> Iterable[TimestampCorrection]:
    """A timestamp's history, newest first, with who did what."""
    claim = timestamp.claim
    return (
        TimestampCorrection.objects.at(claim.article_id, claim.key, timestamp.position)
        .select_related("proposed_by", "applied_by", "reverted_by")
        .newest_first()
    )


def timestamp_of(correction: TimestampCorrection) -> Timestamp | None:
    """The timestamp row a correction names now (None when a re-import dropped it)."""
    return (
        Timestamp.objects.filter(
            claim__article_id=correction.article_id,
            claim__key=correction.claim_key,
            position=correction.position,
        )
        .select_related("claim", "episode")
        .first()
    )


def _in_force(article_id: int, claim_key: str, position: int) -> TimestampCorrection | None:
    return (
        TimestampCorrection.objects.at(article_id, claim_key, position)
        .in_force()
        .order_by("-applied", "-id")
        .first()
    )


def _check_seconds(timestamp: Timestamp, seconds: int) -> None:
    duration = timestamp.episode.duration_seconds
    longest = duration if duration else LONGEST_EPISODE_SECONDS
    if not 0 <= seconds <= longest:
        limit = format_timecode(longest)
        end = "the episode's end" if duration else "48 hours"
        raise ValidationError(
            {"seconds": f"A time from 0:00 to {end} ({limit}), please."}, code="out_of_range"
        )
    if seconds == timestamp.seconds:
        raise ValidationError(
            {"seconds": f"The timestamp already reads {format_timecode(seconds)}."},
            code="unchanged",
        )


def correction_propose(
    *,
    timestamp: Timestamp,
    proposer: AbstractBaseUser,
    seconds: int,
    reason: str = "",
) -> TimestampCorrection:
    """A new time proposed for `timestamp`; it changes nothing until applied."""
    if not proposer.is_authenticated:
        raise PermissionDenied("Sign in to propose a correction.")
    _check_seconds(timestamp, seconds)
    if "\x00" in reason:  # PostgreSQL cannot store it: refused like any bad input
        raise ValidationError(
            {"reason": "Null characters are not allowed."}, code="null_characters"
        )
    claim = timestamp.claim
    in_force = _in_force(claim.article_id, claim.key, timestamp.position)
    return TimestampCorrection.objects.create(
        article_id=claim.article_id,
        claim_key=claim.key,
        position=timestamp.position,
        source_seconds=in_force.source_seconds if in_force else timestamp.seconds,
        seconds_from=timestamp.seconds,
        seconds_to=seconds,
        reason=reason.strip()[:REASON_LENGTH],
        proposed_by=proposer,
    )


def correction_make(
    *,
    timestamp: Timestamp,
    corrector: AbstractBaseUser,
    seconds: int,
    reason: str = "",
) -> TimestampCorrection:
    """A correction applied at once, by someone allowed to apply corrections."""
    _require_corrector(corrector)
    with transaction.atomic():
        correction = correction_propose(
            timestamp=timestamp, proposer=corrector, seconds=seconds, reason=reason
        )
        return correction_apply(correction=correction, corrector=corrector)


def correction_apply(
    *, correction: TimestampCorrection, corrector: AbstractBaseUser
) -> TimestampCorrection:
    """Put a proposal in force: the timestamp reads its new time on every page and answer."""
    _require_corrector(corrector)
    with ContentVersion.changing():
        correction = _locked(correction)
        if correction.status != Status.PROPOSED:
            raise ValidationError(f"This correction is {correction.status}, not proposed.")
        timestamp = timestamp_of(correction)
        if timestamp is None:
            raise ValidationError("Its timestamp is no longer in the document.")
        # Another correction may have moved the timestamp since the proposal was made.
        correction.seconds_from = timestamp.seconds
        correction.status = Status.APPLIED
        correction.applied_by = corrector
        correction.applied = timezone.now()
        correction.save()
        _retime(timestamp, correction.seconds_to, corrected_from=correction.source_seconds)
    return correction


def correction_revert(
    *, correction: TimestampCorrection, corrector: AbstractBaseUser
) -> TimestampCorrection:
    """Take the correction in force back: the timestamp reads what it read before it."""
    _require_corrector(corrector)
    with ContentVersion.changing():
        correction = _locked(correction)
        in_force = _in_force(correction.article_id, correction.claim_key, correction.position)
        if correction.status != Status.APPLIED or in_force is None or in_force.pk != correction.pk:
            raise ValidationError("Only the correction in force can be reverted.")
        correction.status = Status.REVERTED
        correction.reverted_by = corrector
        correction.reverted = timezone.now()
        correction.save()
        timestamp = timestamp_of(correction)
        if timestamp is not None:
            back_to = correction.seconds_from
            still = back_to != correction.source_seconds
            _retime(timestamp, back_to, corrected_from=correction.source_seconds if still else None)
    return correction


def _require_corrector(user: AbstractBaseUser) -> None:
    if not can_correct(user):
        raise PermissionDenied("Only people allowed to correct timestamps can do this.")


def _locked(correction: TimestampCorrection) -> TimestampCorrection:
    """The correction read again under a row lock, so two clicks cannot both apply it."""
    return TimestampCorrection.objects.select_for_update().get(pk=correction.pk)


def _retime(timestamp: Timestamp, seconds: int, *, corrected_from: int | None) -> None:
    """Move a timestamp and its link; `corrected_from` marks it corrected (None: as written)."""
    Timestamp.objects.filter(pk=timestamp.pk).update(seconds=seconds)
    claim = Claim.objects.only("html").get(pk=timestamp.claim_id)
    html = retimed_html(claim.html, timestamp.position, seconds, corrected_from)
    if html != claim.html:
        Claim.objects.filter(pk=claim.pk).update(html=html)
    # Plain UPDATEs send no signal: kept pages and JSON must not outlive the old time.
    ContentVersion.bump()


def retimed_html(html: str, position: int, seconds: int, corrected_from: int | None) -> str:
    """A claim's HTML with its timestamp link at `position` pointing at `seconds`."""
    for index, match in enumerate(_TIMESTAMP_LINK.finditer(html)):
        if index == position:
            return (
                html[: match.start()]
                + _link(match["href"], seconds, corrected_from)
                + html[match.end() :]
            )
    return html


def _link(href_start: str, seconds: int, corrected_from: int | None) -> str:
    shown = format_timecode(seconds)
    if corrected_from is None:
        return f'<a class="ts" href="{href_start}t={seconds}s" data-seconds="{seconds}">{shown}</a>'
    was = format_timecode(corrected_from)
    return (
        f'<a class="ts ts--corrected" href="{href_start}t={seconds}s" data-seconds="{seconds}" '
        f'title="Corrected; the notes said {was}">{shown}</a>'
    )


class SourceMoved(NamedTuple):
    """A correction re-applied where the document now says something else than it did."""

    claim_index: int  # the claim's position in the prepared article
    position: int
    was: int  # what the document said when the correction was made
    now: int  # what it says now
    corrected_to: int


class WrittenStamp(NamedTuple):
    claim_index: int
    claim_id: int
    claim_key: str
    position: int
    seconds: int


class Reapplied(NamedTuple):
    moved: list[SourceMoved]
    corrected: set[tuple[int, int]]  # (claim index, position) of each timestamp corrected
    # Corrections in force whose claim (its text changed) or timestamp the document lost:
    # kept, and in force again should the claim come back.
    lost: list[TimestampCorrection]


def reapply_corrections(article_id: int, stamps: list[WrittenStamp]) -> Reapplied:
    """Put an article's corrections in force back on its timestamps, just written again.

    Called by the importer inside the article's savepoint. Returns where the document moved
    since a correction was made there, for the import's report (such corrections stay in
    force), which timestamps now read a corrected time, and which corrections found no
    timestamp.
    """
    in_force: dict[tuple[str, int], TimestampCorrection] = {}
    for correction in (
        TimestampCorrection.objects.filter(article_id=article_id).in_force().order_by("applied")
    ):
        in_force[(correction.claim_key, correction.position)] = correction
    moved = []
    corrected = set()
    placed = set()
    for stamp in stamps:
        correction = in_force.get((stamp.claim_key, stamp.position))
        if correction is None:
            continue
        placed.add(correction.pk)
        corrected.add((stamp.claim_index, stamp.position))
        if stamp.seconds != correction.source_seconds:
            moved.append(
                SourceMoved(
                    stamp.claim_index,
                    stamp.position,
                    correction.source_seconds,
                    stamp.seconds,
                    correction.seconds_to,
                )
            )
        if stamp.seconds != correction.seconds_to:
            _retime_written(stamp, correction)
    lost = [c for c in in_force.values() if c.pk not in placed]
    return Reapplied(moved, corrected, lost)


def _retime_written(stamp: WrittenStamp, correction: TimestampCorrection) -> None:
    Timestamp.objects.filter(claim_id=stamp.claim_id, position=stamp.position).update(
        seconds=correction.seconds_to
    )
    claim = Claim.objects.only("html").get(pk=stamp.claim_id)
    html = retimed_html(claim.html, stamp.position, correction.seconds_to, stamp.seconds)
    Claim.objects.filter(pk=stamp.claim_id).update(html=html)


def with_corrections_shown(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Articles marked `has_corrections` when a correction of theirs changed the page, so
    that the many pages without any ask nothing more."""
    shown = TimestampCorrection.objects.filter(article=OuterRef("pk")).exclude(
        status=Status.PROPOSED
    )
    return articles.annotate(has_corrections=Exists(shown))


def attach_correction_history(articles: Iterable[Article]) -> None:
    """Give each prefetched claim the corrections that changed the page, as
    `claim.correction_history`, newest first: one query for all the articles that have any
    (`with_corrections_shown`), none when none has."""
    articles = list(articles)
    corrected = [a for a in articles if getattr(a, "has_corrections", True)]
    by_claim: dict[tuple[int, str], list[TimestampCorrection]] = {}
    if corrected:
        corrections = (
            TimestampCorrection.objects.filter(article__in=corrected)
            .exclude(status=Status.PROPOSED)
            .select_related("applied_by", "reverted_by")
            .newest_first()
        )
        for correction in corrections:
            key = (correction.article_id, correction.claim_key)
            by_claim.setdefault(key, []).append(correction)
    # Every claim gets the attribute: a template looking up a missing one costs three
    # exceptions, on pages of thousands of claims.
    for article in articles:
        for claim in article.claims.all():
            claim.correction_history = by_claim.get((article.pk, claim.key), ())

"""Every write to annotations goes through here: the pages and the REST API call these.

Who may see a note is `Annotation.objects.visible_to(user)`; who may change one is decided
here. Callers look a note up through `visible_to()` first, so someone else's private note is
"not found" before it ever reaches these functions; someone else's public note reaches them
and is refused with PermissionDenied.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from apps.annotations.models import MAX_BODY_LENGTH, Annotation, RenderedBody
from apps.annotations.rendering import render_budget_problem
from apps.episodes.models import Claim, Episode, Timestamp
from apps.reader.timecode import format_timecode

# The latest moment of an episode whose length is not known: a day.
MAX_NOTE_SECONDS = 24 * 3600


def annotation_create(
    *,
    author: AbstractBaseUser,
    episode: Episode,
    claim: Claim | None = None,
    seconds: int | None = None,
    body: str,
    visibility: str = Annotation.Visibility.PRIVATE,
) -> Annotation:
    """Write a note on `claim`, or at `seconds` into the episode.

    Without `seconds`, a note on a claim sits at the claim's first timestamp. Without `claim`,
    a note at `seconds` is attached to the claim being spoken then (the one owning the greatest
    timestamp at or before it), so it lives beside the words that prompted it.
    """
    _require_signed_in(author)
    rendered = RenderedBody.of(clean_body(body))
    visibility = _clean_visibility(visibility)
    seconds = clean_seconds(seconds, episode)
    with transaction.atomic():
        if claim is not None and claim.article.episode_id != episode.pk:
            raise ValidationError({"claim": "That claim belongs to another episode."})
        quote = ""
        if claim is not None:
            # Gone in a re-import with no successor: the note keeps its words, claimless.
            quote, claim = claim.text, _claim_as_it_stands(claim)
            if claim is not None and seconds is None:
                seconds = _first_second(claim)
        elif seconds is not None:
            claim = _claim_spoken_at(episode, seconds)
        annotation = Annotation(
            author=author,
            episode=episode,
            claim=claim,
            seconds=seconds,
            visibility=visibility,
            quote=claim.text if claim is not None else quote,
        )
        annotation.set_body(rendered)
        annotation.save(force_insert=True)
        return annotation


def annotation_update(
    *,
    annotation: Annotation,
    actor: AbstractBaseUser,
    body: str | None = None,
    visibility: str | None = None,
) -> Annotation:
    """Change a note's text or who sees it; only its author may.

    The note is read again under a row lock and changed there: two edits at once (its text,
    and who sees it) each keep the other's change, and the search index, written in the same
    transaction, is written from the note as it is committed.
    """
    ensure_can_change(annotation=annotation, actor=actor)
    body = None if body is None else clean_body(body)
    visibility = None if visibility is None else _clean_visibility(visibility)
    changed = [name for name, value in (("body", body), ("visibility", visibility)) if value]
    if not changed:
        return annotation
    rendered = RenderedBody.of(body) if body else None
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        if current is None:  # deleted by another request since this one read it
            raise Http404("This note has been deleted.")
        ensure_can_change(annotation=current, actor=actor)
        if rendered is not None:
            current.set_body(rendered)
        current.visibility = visibility or current.visibility
        current.save(update_fields=[*changed, "updated"])
    for name in ("body", "body_html", "visibility", "updated"):
        setattr(annotation, name, getattr(current, name))
    return annotation


def annotation_delete(*, annotation: Annotation, actor: AbstractBaseUser) -> None:
    """Remove a note for good; only its author may."""
    ensure_can_change(annotation=annotation, actor=actor)
    annotation.delete()


def _require_signed_in(user: AbstractBaseUser) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Sign in to write notes.")


def ensure_can_change(*, annotation: Annotation, actor: AbstractBaseUser) -> None:
    """Raise PermissionDenied unless `actor` wrote the note (forms check before showing)."""
    _require_signed_in(actor)
    if annotation.author_id != actor.pk:
        raise PermissionDenied("Only its author may change a note.")


def clean_body(body: str) -> str:
    """A note's text as stored (stripped), or ValidationError naming `body` saying why not."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ValidationError("Write something first.", code="required")})
    if "\x00" in body:
        message = "A note cannot hold a NUL character."
        raise ValidationError({"body": ValidationError(message, code="null_characters")})
    if len(body) > MAX_BODY_LENGTH:
        message = f"Keep it to {MAX_BODY_LENGTH:,} characters (this is {len(body):,})."
        raise ValidationError({"body": ValidationError(message, code="max_length")})
    problem = render_budget_problem(body)
    if problem is not None:
        raise ValidationError({"body": ValidationError(problem, code="too_costly")})
    return body


def _clean_visibility(visibility: str) -> str:
    if visibility not in Annotation.Visibility.values:
        message = "Choose private or public."
        raise ValidationError({"visibility": ValidationError(message, code="invalid_choice")})
    return visibility


def clean_seconds(seconds: int | None, episode: Episode) -> int | None:
    """A note's moment in `episode`, or ValidationError naming `seconds` saying why not."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
        raise ValidationError({"seconds": "A time is a whole number of seconds, 0 or more."})
    # Within the episode; its length is not always known, and no episode runs a day.
    last = episode.duration_seconds if episode.duration_seconds is not None else MAX_NOTE_SECONDS
    if seconds > last:
        message = f"A moment is between 0:00 and {format_timecode(last)} into the episode."
        raise ValidationError({"seconds": ValidationError(message, code="max_value")})
    return seconds


def _claim_as_it_stands(claim: Claim) -> Claim | None:
    """The claim, held until this note is written; or the one a re-import replaced it with.

    A re-import deletes an article's claims and writes them anew in one transaction. The row
    lock makes an import that has not yet deleted the claim wait for this note, which it then
    carries over with the rest (`apps.ingest.carry_over.annotated_claims`); a claim already
    deleted is waited for and found gone, and the note goes to the new claim with the same
    words, or, with none, keeps its quote without a claim. (NO KEY: a lock the foreign-key
    checks of other notes on the claim do not wait for.)
    """
    current = Claim.objects.select_for_update(no_key=True).filter(pk=claim.pk).first()
    if current is not None:
        return current
    return Claim.objects.filter(article_id=claim.article_id, key=claim.key).first()


def _first_second(claim: Claim) -> int | None:
    return claim.timestamps.order_by("position").values_list("seconds", flat=True).first()


def _claim_spoken_at(episode: Episode, seconds: int) -> Claim | None:
    timestamp = (
        Timestamp.objects.filter(episode=episode, seconds__lte=seconds)
        .select_related("claim")
        .order_by("-seconds", "claim__article_id", "claim__position")
        .first()
    )
    return timestamp.claim if timestamp else None

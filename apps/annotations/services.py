"""Every write to annotations goes through here: the pages and the REST API call these.

Who may see a note is `Annotation.objects.visible_to(user)`; who may change one is decided
here. Callers look a note up through `visible_to()` first, so someone else's private note is
"not found" before it ever reaches these functions; someone else's public note reaches them
and is refused with PermissionDenied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from apps.annotations.models import (
    MAX_BODY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    Annotation,
    RenderedBody,
    Tag,
)
from apps.annotations.rendering import render_budget_problem
from apps.episodes.lookups import claim_held, first_second
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
    end_seconds: int | None = None,
    body: str,
    visibility: str = Annotation.Visibility.PRIVATE,
    tags: Iterable[str] | None = None,
    parent: int | Annotation | None = None,
    allow_bookmark: bool = False,
) -> Annotation:
    """Write a note on `claim`, or at `seconds` into the episode (to `end_seconds`, a range).

    Without `seconds`, a note on a claim sits at the claim's first timestamp. Without `claim`,
    a note at `seconds` is attached to the claim being spoken then (the one owning the greatest
    timestamp at or before it), so it lives beside the words that prompted it. Its tags are
    `tags` and its body's `#words`; with `parent`, it is a reply (see `_reply_parent`). An
    empty body is a bookmark, allowed only with `allow_bookmark`, a time and no parent."""
    _require_signed_in(author)
    # A bookmark marks a moment: it has a time (or a claim's), and is nobody's reply.
    timed = seconds is not None or claim is not None
    bookmark = allow_bookmark and timed and parent is None and not (body or "").strip()
    rendered = RenderedBody.of("" if bookmark else clean_body(body))
    visibility = _clean_visibility(visibility)
    seconds, end_seconds = clean_range(seconds, end_seconds, episode)
    tag_names = note_tags(tags or [], rendered.body)
    with transaction.atomic():
        if claim is not None and claim.article.episode_id != episode.pk:
            raise ValidationError({"claim": "That claim belongs to another episode."})
        replied = None if parent is None else _reply_parent(parent, author, episode)
        if replied is not None and claim is None and seconds is None:
            claim, seconds = replied.claim, replied.seconds
            end_seconds = replied.end_seconds if end_seconds is None else end_seconds
        annotation = Annotation(
            author=author,
            episode=episode,
            parent=replied,
            visibility=visibility,
            **_placed(episode, claim, seconds),
        )
        if end_seconds is not None:  # checked again against the start the note was given
            if annotation.seconds is None:
                raise ValidationError({"end_seconds": "A range needs its start (seconds)."})
            _, annotation.end_seconds = clean_range(annotation.seconds, end_seconds, episode)
        annotation.set_body(rendered)
        annotation.save(force_insert=True)
        _write_new_tags(annotation, tag_names)
        return annotation


def mark_moment(user: AbstractBaseUser, episode: Episode, seconds: int) -> Annotation:
    """A private bookmark at `seconds`, on the claim spoken then, to be written up later."""
    if seconds is None:
        raise ValidationError({"seconds": "Say when: a time in seconds."})
    return annotation_create(
        author=user, episode=episode, seconds=seconds, body="", allow_bookmark=True
    )


def _placed(episode: Episode, claim: Claim | None, seconds: int | None) -> dict:
    """The claim, moment and quote of a note on `claim` or at `seconds` (see annotation_create)."""
    quote = ""
    if claim is not None:
        # Gone in a re-import with no successor: the note keeps its words, claimless.
        quote, claim = claim.text, _claim_as_it_stands(claim)
        if claim is not None and seconds is None:
            seconds = first_second(claim.pk)
    elif seconds is not None:
        claim = _claim_spoken_at(episode, seconds)
    return {
        "claim": claim,
        "seconds": seconds,
        "quote": claim.text if claim is not None else quote,
    }


_NO_PARENT = "There is no public note with that id to reply to."


def _reply_parent(
    parent: int | Annotation, author: AbstractBaseUser, episode: Episode
) -> Annotation:
    """The note a reply goes under: a public note `author` can see, on `episode`.

    Threads are one level deep: a reply to a reply goes under the note that began the thread.
    Anything else is a ValidationError naming `parent` (a note one may not see is "no such").
    A thread whose note is hidden from `author` since (another's note made private, or a
    deleted note's placeholder) is not found (404): nobody adds to a thread they cannot see.
    """
    parent_id = parent.pk if isinstance(parent, Annotation) else parent
    found = (
        Annotation.objects.visible_to(author)
        .filter(pk=parent_id, visibility=Annotation.Visibility.PUBLIC)
        .first()
    )
    if found is None:
        raise ValidationError({"parent": _NO_PARENT})
    if found.parent_id is not None:
        found = Annotation.objects.visible_to(author).filter(pk=found.parent_id).first()
        if found is None:
            raise Http404(_NO_PARENT)
        if not found.is_public:  # the author's own note, made private: say why
            raise ValidationError({"parent": _NO_PARENT})
    if found.episode_id != episode.pk:
        raise ValidationError({"parent": "That note is on another episode."})
    return found


def annotation_update(
    *,
    annotation: Annotation,
    actor: AbstractBaseUser,
    body: str | None = None,
    visibility: str | None = None,
    seconds: int | None = None,
    end_seconds: int | None = None,
    tags: Iterable[str] | None = None,
) -> Annotation:
    """Change a note's text, who sees it, its time or range, or its tags; only its author may.

    The note is read again under a row lock and changed there: two edits at once (its text,
    and who sees it) each keep the other's change, and the search index, written in the same
    transaction, is written from the note as it is committed. A new `seconds` places the note
    on the claim spoken then. `end_seconds` 0 ends a range (the note keeps its one moment).
    """
    ensure_can_change(annotation=annotation, actor=actor)
    body = None if body is None else clean_body(body)
    visibility = None if visibility is None else _clean_visibility(visibility)
    given = {"body": body, "visibility": visibility, "seconds": seconds}
    given |= {"end_seconds": end_seconds, "tags": tags}
    if all(value is None for value in given.values()):
        return annotation
    rendered = RenderedBody.of(body) if body else None
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        if current is None or current.deleted:  # deleted by another request since
            raise Http404("This note has been deleted.")
        ensure_can_change(annotation=current, actor=actor)
        changed = _apply_changes(current, rendered, given)
        current.save(update_fields=[*changed, "updated"])
    for name in (*_UPDATABLE, "claim_id", "quote", "body_html", "updated"):
        setattr(annotation, name, getattr(current, name))
    annotation.forget_tags()
    return annotation


_UPDATABLE = ("body", "visibility", "seconds", "end_seconds")


def _apply_changes(current: Annotation, rendered: RenderedBody | None, given: dict) -> list:
    """Set what `given` changes on the locked note; the fields to save."""
    changed = []
    old_body_tags = body_tags(current.body)
    if rendered is not None:
        current.set_body(rendered)
        changed.append("body")
    if given["visibility"] is not None:
        current.visibility = given["visibility"]
        changed.append("visibility")
    if given["seconds"] is not None or given["end_seconds"] is not None:
        changed += _move(current, given["seconds"], given["end_seconds"])
    if given["tags"] is not None or rendered is not None:
        kept = given["tags"]
        if kept is None:  # the tags given before, the body's old #words gone with them
            kept = [name for name in current.tag_names if name not in old_body_tags]
        names = note_tags(kept, current.body)
        current.tags.all().delete()
        _write_tags(current, names)
    return changed


def _move(current: Annotation, seconds: int | None, end_seconds: int | None) -> list:
    """Give the note a new time or range, and the claim spoken at its new time."""
    start = current.seconds if seconds is None else seconds
    if end_seconds == 0:
        end_seconds = None
    elif end_seconds is None:
        end_seconds = current.end_seconds
        # Moved past its old end, a range becomes a moment rather than an error.
        if seconds is not None and end_seconds is not None and end_seconds <= seconds:
            end_seconds = None
    if start is None and end_seconds is not None:
        raise ValidationError({"end_seconds": "A range needs its start (seconds)."})
    if (start, end_seconds) == (current.seconds, current.end_seconds):
        # Not moved (a form sends its time with its words): a length learnt since it was
        # written must not keep its author from changing the words.
        return []
    start, end_seconds = clean_range(start, end_seconds, current.episode)
    fields = ["seconds", "end_seconds"]
    if start != current.seconds:
        claim = _claim_spoken_at(current.episode, start)
        current.claim, current.quote = claim, claim.text if claim is not None else ""
        fields += ["claim", "quote"]
    current.seconds, current.end_seconds = start, end_seconds
    return fields


def annotation_delete(*, annotation: Annotation, actor: AbstractBaseUser) -> None:
    """Remove a note; only its author may.

    A note with replies is emptied and kept (`deleted`) so that its replies stay readable under
    a "deleted note" placeholder; the last reply's deletion takes the placeholder with it.
    """
    ensure_can_change(annotation=annotation, actor=actor)
    with transaction.atomic():
        current = Annotation.objects.select_for_update().filter(pk=annotation.pk).first()
        if current is None:
            return
        parent_id = current.parent_id
        if current.replies.exists():
            current.tags.all().delete()
            current.set_body(RenderedBody("", ""))
            current.deleted = True
            current.save(update_fields=["body", "deleted", "updated"])
        else:
            current.delete()
        if parent_id is not None:
            placeholder = (
                Annotation.objects.select_for_update().filter(pk=parent_id, deleted=True).first()
            )
            if placeholder is not None and not placeholder.replies.exists():
                placeholder.delete()


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


def clean_range(
    seconds: int | None, end_seconds: int | None, episode: Episode
) -> tuple[int | None, int | None]:
    """A note's moment and the end of its range, or ValidationError naming the field at fault."""
    seconds = clean_seconds(seconds, episode)
    if end_seconds is None:
        return seconds, None
    try:
        end_seconds = clean_seconds(end_seconds, episode)
    except ValidationError as error:
        raise ValidationError({"end_seconds": error.error_dict["seconds"]}) from error
    if seconds is not None and end_seconds <= seconds:
        message = "A range ends after it starts."
        raise ValidationError({"end_seconds": ValidationError(message, code="min_value")})
    return seconds, end_seconds


# A #word in a body: not a heading's "# ", a link's "/#part" or an entity's "&#39;".
_BODY_TAG = re.compile(r"(?<![\w&/#])#([A-Za-z][A-Za-z0-9-]*)")
_TAG = re.compile(r"[a-z0-9-]+")


def body_tags(body: str) -> list[str]:
    """The `#words` of a body, lower-cased, in order, once each."""
    return list(dict.fromkeys(word.lower() for word in _BODY_TAG.findall(body or "")))


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: lower-cased, a leading # dropped, once each; or ValidationError."""
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    names = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationError({"tags": "A tag is a word."})
        name = tag.strip().removeprefix("#").lower()
        if not name:
            continue
        if not _TAG.fullmatch(name):
            message = f'"{name[:MAX_TAG_LENGTH]}": a tag holds only letters, digits and -.'
            raise ValidationError({"tags": ValidationError(message, code="invalid")})
        if len(name) > MAX_TAG_LENGTH:
            message = f"Keep a tag to {MAX_TAG_LENGTH} characters (#{name[:20]}… is longer)."
            raise ValidationError({"tags": ValidationError(message, code="max_length")})
        names.append(name)
    return list(dict.fromkeys(names))


def note_tags(tags: Iterable[str], body: str) -> list[str]:
    """A note's tags: those given and its body's #words, at most MAX_TAGS."""
    names = list(dict.fromkeys([*clean_tags(tags), *clean_tags(body_tags(body))]))
    if len(names) > MAX_TAGS:
        message = f"At most {MAX_TAGS} tags a note (this one has {len(names)})."
        raise ValidationError({"tags": ValidationError(message, code="max_tags")})
    return names


def _write_new_tags(annotation: Annotation, names: list[str]) -> None:
    """A new note's tags. The writer's answer shows them without reading them back
    (`tags_written`, apps/pages/episode_pieces.py); `tag_names` reads them as they stand."""
    _write_tags(annotation, names)
    annotation.tags_written = tuple(names)


def _write_tags(annotation: Annotation, names: list[str]) -> None:
    Tag.objects.bulk_create(Tag(annotation=annotation, name=name) for name in names)
    annotation.forget_tags()


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
    current = claim_held(claim.pk)
    if current is not None:
        return current
    return Claim.objects.filter(article_id=claim.article_id, key=claim.key).first()


def _claim_spoken_at(episode: Episode, seconds: int) -> Claim | None:
    timestamp = (
        Timestamp.objects.filter(episode=episode, seconds__lte=seconds)
        .select_related("claim")
        .order_by("-seconds", "claim__article_id", "claim__position")
        .first()
    )
    return timestamp.claim if timestamp else None

"""Notes back in from W3C Web Annotations: a collection, a page, one annotation or a list.

`annotations_import(author=..., data=...)` reads the whole file first and refuses it, naming
the first problem, unless every annotation in it is understood and can be saved (at most
MAX_NOTES of them), so a refused file changes nothing. It then writes them in batches of
BATCH_SIZE notes, each its own transaction, so that SQLite's one write lock is let go between
batches and other people's notes wait for one batch, never for the whole file. Should a later
batch fail (a database error, say an episode deleted meanwhile), the earlier batches stay
written; importing the file again adds only the rest, as notes already there are skipped.
The report then says how many could not be saved (the page and the API answer it, with no
server error). Every note is held to the rules a note written by hand is held to, by the same
functions (`apps.annotations.services`): its text, and its moment within its episode. Each
batch costs the same few queries however many notes it holds. Each note lands
on its episode (the YouTube video among its targets), at its time (the Media Fragments
`t=`), on the claim whose text its TextQuoteSelector quotes (the one nearest its time when
several do; else the claim spoken at that time, as a note written at a moment). A note the
person already has (same episode, time and text) is skipped, so importing twice adds nothing.

Nothing is lost between an export and its import: a range (`t=754,790`), tags (tagging
bodies), a bookmark (no text body), replies (a "replying" annotation targeting another of the
file, or a public note of this site, by its IRI) and, for the person's own notes (the creator's
nickname is theirs), `created`, `modified` and `visibility` as given. Someone else's notes
become the importer's own: private, dated now, with "(from <creator>)" closing the text.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.annotations.models import MAX_TAG_LENGTH, MAX_TAGS, Annotation, RenderedBody, Tag
from apps.annotations.services import body_tags, clean_body, clean_range
from apps.episodes.models import Claim, Episode, Timestamp
from apps.exports.web_annotation import (
    MARKDOWN,
    NotAnAnnotation,
    media_fragment_times,
    youtube_video_id,
)
from apps.search.indexing import index_new_annotations

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_NOTES = 5_000
BATCH_SIZE = 200

logger = logging.getLogger(__name__)


class ImportRefused(ValueError):
    """The file was not imported; the message says why, for the person who sent it."""


@dataclass(frozen=True, slots=True)
class IncomingNote:
    video_id: str
    seconds: int | None
    quote: str
    body: str
    end_seconds: int | None = None
    tags: tuple[str, ...] = ()
    bookmark: bool = False
    iri: str = ""  # its `id`, which replies in the same file target
    parent_iri: str = ""  # the annotation it replies to
    creator: str = ""
    visibility: str = ""
    created: datetime | None = None
    modified: datetime | None = None


@dataclass
class ImportReport:
    created: int = 0
    already_there: int = 0
    unknown_videos: set[str] = field(default_factory=set)
    skipped_for_unknown_videos: int = 0
    # Notes of the batches a database error stopped (earlier batches stay written).
    not_saved: int = 0

    def summary(self) -> str:
        parts = [f"{self.created} note{'s' if self.created != 1 else ''} imported"]
        if self.not_saved:
            parts.append(
                f"{self.not_saved} could not be saved (the database refused them); "
                "importing the file again adds only those"
            )
        if self.already_there:
            parts.append(f"{self.already_there} already here")
        if self.skipped_for_unknown_videos:
            parts.append(
                f"{self.skipped_for_unknown_videos} skipped: their video is not on this site"
            )
        return "; ".join(parts) + "."


def annotations_import(*, author: AbstractBaseUser, data: bytes | str) -> ImportReport:
    """Import the notes in `data` (JSON-LD text) for `author`; see the module docstring."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(f"The file is not JSON ({error}).") from error
    except RecursionError as error:
        # Python's json decoder recurses once per nesting level; no export nests this deep.
        raise ImportRefused("The file is nested too deeply.") from error
    return annotations_import_document(author=author, document=document)


def annotations_import_document(*, author: AbstractBaseUser, document: object) -> ImportReport:
    """Import the notes of an already parsed JSON-LD document; see the module docstring."""
    try:
        notes = read_annotations(document)
    except NotAnAnnotation as error:
        raise ImportRefused(str(error)) from error
    if len(notes) > MAX_NOTES:
        raise ImportRefused(
            f"The file holds {len(notes):,} notes; up to {MAX_NOTES:,} are imported at once."
        )

    report = ImportReport()
    episodes = Episode.objects.in_bulk({note.video_id for note in notes}, field_name="video_id")
    known = _held_to_the_rules(notes, episodes, author)
    for note in notes:
        if note.video_id not in episodes:
            report.unknown_videos.add(note.video_id)
            report.skipped_for_unknown_videos += 1
    batches = _Batches(author=author, episodes=episodes, report=report)
    for start in range(0, len(known), BATCH_SIZE):
        try:
            batches.write(known[start : start + BATCH_SIZE])
        except DatabaseError:
            # This batch rolled back; those before it are committed and stay.
            logger.exception("A notes import stopped at note %d of %d", start + 1, len(known))
            report.not_saved = len(known) - start
            break
    else:
        batches.link_replies()
    return report


def _held_to_the_rules(
    notes: list[IncomingNote], episodes: dict, author: AbstractBaseUser
) -> list[IncomingNote]:
    """The notes on this site's videos, each as the service would store it, and as the
    importer's own: someone else's made private, dated now, and their creator named.

    ImportRefused names the first note that breaks a rule a note written by hand is held to.
    """
    kept = []
    for number, note in enumerate(notes, start=1):
        episode = episodes.get(note.video_id)
        if episode is None:
            continue
        note = _as_importers(note, author.get_username())
        try:
            body = "" if note.bookmark else clean_body(note.body)
            seconds, end = clean_range(note.seconds, note.end_seconds, episode)
        except ValidationError as error:
            raise ImportRefused(f"Annotation {number}: {' '.join(error.messages)}") from error
        tags = _fitting_tags(note.tags, body)
        kept.append(replace(note, body=body, seconds=seconds, end_seconds=end, tags=tags))
    return kept


def _as_importers(note: IncomingNote, username: str) -> IncomingNote:
    """The note as the importer's: as given when they wrote it, else theirs from now on."""
    if note.creator == username:
        visibility = note.visibility if note.visibility in Annotation.Visibility.values else ""
        return replace(note, visibility=visibility or Annotation.Visibility.PRIVATE)
    body = note.body
    if note.creator:
        body = f"{body.rstrip()}\n\n(from {note.creator})".lstrip()
    bookmark = note.bookmark and not note.creator
    return replace(
        note,
        body=body,
        bookmark=bookmark,
        visibility=Annotation.Visibility.PRIVATE,
        created=None,
        modified=None,
    )


_NOT_IN_A_TAG = re.compile(r"[^a-z0-9-]+")


def _fitting_tags(tags: tuple[str, ...], body: str) -> tuple[str, ...]:
    """Tags as a note may hold them: other tools' tags made to fit ("Deep Learning" is
    deep-learning), the body's #words among them, at most MAX_TAGS."""
    names = []
    for tag in tags:
        name = _NOT_IN_A_TAG.sub("-", tag.strip().removeprefix("#").lower()).strip("-")
        if name:
            names.append(name[:MAX_TAG_LENGTH])
    return tuple(dict.fromkeys([*names, *body_tags(body)]))[:MAX_TAGS]


def read_annotations(document: object) -> list[IncomingNote]:
    """Every annotation in `document`, understood; NotAnAnnotation names what is not."""
    annotations = _annotations_in(document)
    notes = []
    for number, annotation in enumerate(annotations, start=1):
        try:
            notes.append(_read_annotation(annotation))
        except NotAnAnnotation as error:
            raise NotAnAnnotation(f"Annotation {number}: {error}") from error
    return notes


def _annotations_in(document: object) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise NotAnAnnotation("The file holds no Web Annotation, collection or page.")
    kinds = _types(document)
    if "AnnotationCollection" in kinds:
        page = document.get("first")
        if document.get("total") == 0 and page is None:
            return []
        if not isinstance(page, dict):
            raise NotAnAnnotation(
                "The collection's first page is not in the file (only embedded pages are read)."
            )
        document, kinds = page, _types(page)
    if "AnnotationPage" in kinds:
        items = document.get("items")
        if not isinstance(items, list):
            raise NotAnAnnotation("The annotation page has no list of items.")
        return items
    if "Annotation" in kinds:
        return [document]
    raise NotAnAnnotation("The file holds no Web Annotation, collection or page.")


def _read_annotation(annotation: object) -> IncomingNote:
    if not isinstance(annotation, dict) or "Annotation" not in _types(annotation):
        raise NotAnAnnotation("not an object of type Annotation.")
    motivations = {kind for kind in _as_list(annotation.get("motivation")) if isinstance(kind, str)}
    bookmark = "bookmarking" in motivations and not _text_bodies(annotation)
    body = "" if bookmark else _body_text(annotation)
    video_id, times, quote, parent_iri = None, (None, None), "", ""
    for target in _as_list(annotation.get("target")):
        source = target if isinstance(target, str) else _source(target)
        found = youtube_video_id(source) if source else None
        if found and video_id is None:
            video_id = found
            times = _times(target)
        elif isinstance(target, str) and "replying" in motivations and not parent_iri:
            parent_iri = target
        for selector in _selectors(target):
            if "TextQuoteSelector" in _types(selector) and isinstance(selector.get("exact"), str):
                quote = quote or selector["exact"].replace("\x00", "")
    if video_id is None:
        raise NotAnAnnotation("none of its targets is a YouTube video.")
    if bookmark and times[0] is None:
        raise NotAnAnnotation("it marks no moment of the video, and has no text.")
    return IncomingNote(
        video_id=video_id,
        seconds=times[0],
        end_seconds=times[1],
        quote=quote,
        body=body,
        bookmark=bookmark,
        tags=_tags(annotation),
        iri=annotation["id"] if isinstance(annotation.get("id"), str) else "",
        parent_iri=parent_iri,
        **_provenance(annotation),
    )


def _provenance(annotation: dict) -> dict:
    """Who wrote it (their nickname), who could read it, and when it was written and changed."""
    creator = annotation.get("creator")
    if isinstance(creator, list) and len(creator) == 1:
        creator = creator[0]
    nickname = creator.get("nickname", creator.get("name")) if isinstance(creator, dict) else None
    visibility = annotation.get("visibility")
    return {
        "creator": nickname if isinstance(nickname, str) else "",
        "visibility": visibility if isinstance(visibility, str) else "",
        "created": _moment(annotation.get("created")),
        "modified": _moment(annotation.get("modified")),
    }


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _tags(annotation: dict) -> tuple[str, ...]:
    return tuple(
        body["value"]
        for body in _as_list(annotation.get("body"))
        if isinstance(body, dict)
        and body.get("purpose") == "tagging"
        and isinstance(body.get("value"), str)
    )


def _text_bodies(annotation: dict) -> list:
    """The bodies that hold the note's text: all but tags, a Choice's items taken out."""
    bodies = []
    for body in _as_list(annotation.get("body")):
        if isinstance(body, dict) and "Choice" in _types(body):
            bodies.extend(_as_list(body.get("items")))
        elif not (isinstance(body, dict) and body.get("purpose") == "tagging"):
            bodies.append(body)
    return bodies


def _body_text(annotation: dict) -> str:
    if isinstance(annotation.get("bodyValue"), str):
        return _non_empty(annotation["bodyValue"])
    bodies = _text_bodies(annotation)
    textual = [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str)]
    # Markdown as written if there is some; else plain text; else whatever text there is.
    for wanted in (MARKDOWN, "text/plain", None):
        for body in textual:
            if wanted is None or body.get("format", "text/plain") == wanted:
                return _non_empty(body["value"])
    raise NotAnAnnotation("it has no textual body (only text is imported).")


def _non_empty(text: str) -> str:
    # Its other rules are the service's (`_held_to_the_rules`), once its episode is known.
    if not text.strip():
        raise NotAnAnnotation("its body is empty.")
    if "\x00" in text:
        raise NotAnAnnotation("its body holds a NUL character.")
    return text


def _times(target: object) -> tuple[int | None, int | None]:
    """The start and end of the target's Media Fragments time; (None, None) without one."""
    for selector in _selectors(target):
        if "FragmentSelector" in _types(selector) and isinstance(selector.get("value"), str):
            times = media_fragment_times(selector["value"])
            if times is None:
                raise NotAnAnnotation(f'"{selector["value"][:40]}" is not a media time.')
            return times
    return None, None


def _selectors(target: object) -> list[dict]:
    if not isinstance(target, dict):
        return []
    return [s for s in _as_list(target.get("selector")) if isinstance(s, dict)]


def _source(target: object) -> str | None:
    if not isinstance(target, dict):
        return None
    source = target.get("source", target.get("id"))
    if isinstance(source, dict):
        source = source.get("id")
    return source if isinstance(source, str) else None


def _types(value: dict) -> set[str]:
    return {kind for kind in _as_list(value.get("type")) if isinstance(kind, str)}


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class _Batches:
    """Writes an import's notes batch by batch, remembering what earlier batches learnt."""

    author: AbstractBaseUser
    episodes: dict[str, Episode]
    report: ImportReport
    # (episode id, seconds, body) of the notes this import wrote: a note twice in a file
    # is written once, as when each note was checked against those written before it.
    written: set[tuple[int, int | None, str]] = field(default_factory=set)
    # Per episode: the seconds at which claims are spoken, ascending, and the claim spoken
    # at each (the first in reading order when several start at once).
    spoken: dict[int, tuple[list[int], list[Claim]]] = field(default_factory=dict)
    # The note each annotation of the file became (or already was), by its IRI; and the
    # notes this import wrote that reply to another, with the IRI each replies to.
    by_iri: dict[str, int] = field(default_factory=dict)
    replies: list[tuple[int, str]] = field(default_factory=list)

    def write(self, notes: list[IncomingNote]) -> None:
        placed = self._placed(notes)
        # Rendered before the transaction, so that other writers never wait for Markdown.
        rendered = {body: RenderedBody.of(body) for body in {note.body for *_, note in placed}}
        new: list[tuple[Annotation, IncomingNote]] = []
        with transaction.atomic():
            existing = _existing_keys(self.author, placed)
            for episode, claim, seconds, incoming in placed:
                key = (episode.pk, seconds, incoming.body)
                if key in existing or key in self.written:
                    self.report.already_there += 1
                    if key in existing and incoming.iri:
                        self.by_iri.setdefault(incoming.iri, existing[key])
                    continue
                self.written.add(key)
                note = _new_note(self.author, episode, claim, seconds, incoming)
                note.set_body(rendered[incoming.body])
                new.append((note, incoming))
            Annotation.objects.bulk_create(note for note, _ in new)
            Tag.objects.bulk_create(
                Tag(annotation=note, name=name) for note, incoming in new for name in incoming.tags
            )
            index_new_annotations([note for note, _ in new])
        for note, incoming in new:
            if incoming.iri:
                self.by_iri.setdefault(incoming.iri, note.pk)
            if incoming.parent_iri:
                self.replies.append((note.pk, incoming.parent_iri))
        self.report.created += len(new)

    def link_replies(self) -> None:
        """Put the replies written under the notes they reply to: another of the file, or a
        public note of this site on the same episode (its IRI ends in /api/annotations/<id>).
        One level deep, as on the site; a reply whose note is not found stands alone."""
        wanted = {iri: self.by_iri.get(iri) or _site_note_id(iri) for _, iri in self.replies}
        reply_ids = [pk for pk, _ in self.replies]
        notes = Annotation.objects.in_bulk([*reply_ids, *filter(None, wanted.values())])
        links: dict[int, list[int]] = defaultdict(list)
        for pk, iri in self.replies:
            parent = notes.get(wanted[iri])
            if parent is not None and parent.parent_id is not None:
                parent = notes.get(parent.parent_id) or Annotation.objects.get(pk=parent.parent_id)
            reply = notes[pk]
            if _may_reply(self.author, reply, parent):
                links[parent.pk].append(pk)
        for parent_id, ids in links.items():
            Annotation.objects.filter(pk__in=ids).update(parent_id=parent_id)

    def _placed(self, notes: list[IncomingNote]) -> list[tuple]:
        """Each note's (episode, claim, seconds, note), as `annotation_create` would place it."""
        on_episodes = [(self.episodes[note.video_id], note) for note in notes]
        quoted = _quoted_claims(on_episodes)
        placed = []
        for episode, note in on_episodes:
            claim = _nearest(quoted.get((episode.pk, _spaced(note.quote)), []), note.seconds)
            seconds = note.seconds
            if seconds is None and claim is not None:
                seconds = next((t.seconds for t in claim.timestamps.all()), None)
            if claim is None and seconds is not None:
                claim = self._spoken_at(episode, seconds)
            placed.append((episode, claim, seconds, note))
        return placed

    def _spoken_at(self, episode: Episode, seconds: int) -> Claim | None:
        """The claim spoken at `seconds`: the one owning the greatest timestamp at or before."""
        if episode.pk not in self.spoken:
            self.spoken[episode.pk] = _spoken_claims(episode)
        starts, claims = self.spoken[episode.pk]
        index = bisect_right(starts, seconds) - 1
        return claims[index] if index >= 0 else None


def _spoken_claims(episode: Episode) -> tuple[list[int], list[Claim]]:
    starts: list[int] = []
    claims: list[Claim] = []
    timestamps = (
        Timestamp.objects.filter(episode=episode)
        .select_related("claim")
        .order_by("seconds", "claim__article_id", "claim__position")
    )
    for timestamp in timestamps:
        if not starts or starts[-1] != timestamp.seconds:
            starts.append(timestamp.seconds)
            claims.append(timestamp.claim)
    return starts, claims


def _existing_keys(author: AbstractBaseUser, placed: list[tuple]) -> dict[tuple, int]:
    """The (episode id, seconds, body) of `author`'s notes that may match `placed`, with each
    note's id: one query, narrowed by the index on (author, episode, seconds)."""
    times = {seconds for _, _, seconds, _ in placed}
    at_times = Q(seconds__in=times - {None})
    if None in times:
        at_times |= Q(seconds__isnull=True)
    notes = Annotation.objects.filter(
        at_times,
        author=author,
        deleted=False,
        episode__in={episode.pk for episode, _, _, _ in placed},
        body__in={note.body for _, _, _, note in placed},
    )
    rows = notes.order_by("id").values_list("episode_id", "seconds", "body", "id")
    found: dict[tuple, int] = {}
    for episode_id, seconds, body, pk in rows:
        found.setdefault((episode_id, seconds, body), pk)
    return found


def _new_note(
    author: AbstractBaseUser, episode: Episode, claim: Claim | None, seconds, note: IncomingNote
) -> Annotation:
    """The note to write; dated as given (the importer's own notes), else now."""
    created = note.created or timezone.now()
    return Annotation(
        author=author,
        episode=episode,
        claim=claim,
        seconds=seconds,
        end_seconds=note.end_seconds if seconds is not None else None,
        quote=claim.text if claim is not None else "",
        visibility=note.visibility or Annotation.Visibility.PRIVATE,
        created=created,
        updated=note.modified or created,
    )


_SITE_NOTE = re.compile(r"/api/annotations/(\d{1,18})/?$")


def _site_note_id(iri: str) -> int | None:
    match = _SITE_NOTE.search(iri)
    return int(match[1]) if match else None


def _may_reply(author: AbstractBaseUser, reply: Annotation, parent: Annotation | None) -> bool:
    """Whether `reply` may go under `parent`, as the service allows a reply to be written."""
    if parent is None or parent.episode_id != reply.episode_id or parent.deleted:
        return False
    return parent.is_public and parent.pk != reply.pk


def _spaced(quote: str) -> str:
    return " ".join(quote.split())


def _quoted_claims(notes: list[tuple[Episode, IncomingNote]]) -> dict[tuple[int, str], list]:
    """The claims whose text some note quotes, by (episode id, text), in reading order."""
    quotes = {_spaced(note.quote) for _, note in notes} - {""}
    if not quotes:
        return {}
    candidates = (
        Claim.objects.filter(article__episode__in={episode.pk for episode, _ in notes})
        .filter(text__in=quotes)
        .select_related("article")
        .order_by("article_id", "position")
        .prefetch_related(Prefetch("timestamps", queryset=Timestamp.objects.order_by("position")))
    )
    found: dict[tuple[int, str], list[Claim]] = defaultdict(list)
    for claim in candidates:
        found[(claim.article.episode_id, claim.text)].append(claim)
    return found


def _nearest(candidates: list[Claim], seconds: int | None) -> Claim | None:
    """The first of `candidates`, or with a time, the one said nearest it."""
    if not candidates or seconds is None:
        return candidates[0] if candidates else None

    def distance(claim: Claim) -> int:
        said = [timestamp.seconds for timestamp in claim.timestamps.all()]
        return min((abs(s - seconds) for s in said), default=10**9)

    return min(candidates, key=distance)

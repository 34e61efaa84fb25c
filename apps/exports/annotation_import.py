"""Notes back in from W3C Web Annotations: a collection, a page, one annotation or a list.

`annotations_import(author=..., data=...)` reads the whole file first and refuses it, naming
the first problem, unless every annotation in it is understood; then it writes them in one
transaction through `annotation_create`, so a refused file changes nothing. Each note lands
on its episode (the YouTube video among its targets), at its time (the Media Fragments
`t=`), on the claim whose text its TextQuoteSelector quotes (the one nearest its time when
several do; else the claim spoken at that time, as a note written at a moment). A note the
person already has (same episode, time and text) is skipped, so importing twice adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import Claim, Episode, Timestamp
from apps.exports.web_annotation import (
    MARKDOWN,
    NotAnAnnotation,
    media_fragment_start,
    youtube_video_id,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportRefused(ValueError):
    """The file was not imported; the message says why, for the person who sent it."""


@dataclass(frozen=True, slots=True)
class IncomingNote:
    video_id: str
    seconds: int | None
    quote: str
    body: str


@dataclass
class ImportReport:
    created: int = 0
    already_there: int = 0
    unknown_videos: set[str] = field(default_factory=set)
    skipped_for_unknown_videos: int = 0

    def summary(self) -> str:
        parts = [f"{self.created} note{'s' if self.created != 1 else ''} imported"]
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

    report = ImportReport()
    episodes = Episode.objects.in_bulk({note.video_id for note in notes}, field_name="video_id")
    try:
        with transaction.atomic():
            for note in notes:
                episode = episodes.get(note.video_id)
                if episode is None:
                    report.unknown_videos.add(note.video_id)
                    report.skipped_for_unknown_videos += 1
                    continue
                claim = _quoted_claim(episode, note)
                seconds = note.seconds
                if seconds is None and claim is not None:
                    seconds = next((t.seconds for t in claim.timestamps.all()), None)
                if _already_there(author, episode, seconds, note.body):
                    report.already_there += 1
                    continue
                annotation_create(
                    author=author, episode=episode, claim=claim, seconds=seconds, body=note.body
                )
                report.created += 1
    except ValidationError as error:
        raise ImportRefused(f"A note could not be saved: {'; '.join(error.messages)}") from error
    return report


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
    body = _body_text(annotation)
    video_id, seconds, quote = None, None, ""
    for target in _as_list(annotation.get("target")):
        source = target if isinstance(target, str) else _source(target)
        found = youtube_video_id(source) if source else None
        if found and video_id is None:
            video_id = found
            seconds = _start_seconds(target)
        for selector in _selectors(target):
            if "TextQuoteSelector" in _types(selector) and isinstance(selector.get("exact"), str):
                quote = quote or selector["exact"].replace("\x00", "")
    if video_id is None:
        raise NotAnAnnotation("none of its targets is a YouTube video.")
    return IncomingNote(video_id=video_id, seconds=seconds, quote=quote, body=body)


def _body_text(annotation: dict) -> str:
    if isinstance(annotation.get("bodyValue"), str):
        return _non_empty(annotation["bodyValue"])
    bodies = []
    for body in _as_list(annotation.get("body")):
        if isinstance(body, dict) and "Choice" in _types(body):
            bodies.extend(_as_list(body.get("items")))
        else:
            bodies.append(body)
    textual = [b for b in bodies if isinstance(b, dict) and isinstance(b.get("value"), str)]
    # Markdown as written if there is some; else plain text; else whatever text there is.
    for wanted in (MARKDOWN, "text/plain", None):
        for body in textual:
            if wanted is None or body.get("format", "text/plain") == wanted:
                return _non_empty(body["value"])
    raise NotAnAnnotation("it has no textual body (only text is imported).")


def _non_empty(text: str) -> str:
    if not text.strip():
        raise NotAnAnnotation("its body is empty.")
    if "\x00" in text:
        raise NotAnAnnotation("its body holds a NUL character.")
    return text


def _start_seconds(target: object) -> int | None:
    for selector in _selectors(target):
        if "FragmentSelector" in _types(selector) and isinstance(selector.get("value"), str):
            seconds = media_fragment_start(selector["value"])
            if seconds is None:
                raise NotAnAnnotation(f'"{selector["value"][:40]}" is not a media time.')
            return seconds
    return None


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


def _already_there(
    author: AbstractBaseUser, episode: Episode, seconds: int | None, body: str
) -> bool:
    return Annotation.objects.filter(
        author=author, episode=episode, seconds=seconds, body=body.strip()
    ).exists()


def _quoted_claim(episode: Episode, note: IncomingNote) -> Claim | None:
    """The claim whose text is the quote (nearest the note's time when several are)."""
    quote = " ".join(note.quote.split())
    if not quote:
        return None
    candidates = list(
        Claim.objects.filter(article__episode=episode, text=quote)
        .order_by("article_id", "position")
        .prefetch_related(Prefetch("timestamps", queryset=Timestamp.objects.order_by("position")))
    )
    if not candidates or note.seconds is None:
        return candidates[0] if candidates else None

    def distance(claim: Claim) -> int:
        seconds = [timestamp.seconds for timestamp in claim.timestamps.all()]
        return min((abs(s - note.seconds) for s in seconds), default=10**9)

    return min(candidates, key=distance)

"""Notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), JSON-LD. Pure.

One note is an Annotation:
- `body`: a Choice of two TextualBodies, the note's Markdown (`text/markdown`, as written)
  and its HTML (`text/html`, as the site shows it): one note, two formats to pick from.
- `target`: the YouTube video, with a FragmentSelector `t=<seconds>` conforming to Media
  Fragments; and, when the note quotes a claim, the episode page with a TextQuoteSelector
  of that claim's text. (Two targets rather than two selectors on one: selectors of one
  resource must select the same part of it, and the quote is text of the page, not of
  the video.)
  A range is `t=<start>,<end>`.
- `creator` (the author's nickname), `created`, `modified` (as stored, to the microsecond),
  and Seeknotes as `generator`.
- Tags: one TextualBody each, `purpose` "tagging", beside the Choice.
- A reply: `motivation` "replying", and the annotation it replies to (its IRI) as a target
  before the video. A bookmark (no text yet): `motivation` "bookmarking", and no text body.
- `visibility` ("private" or "public"): a term of Seeknotes' own, defined in the `@context`
  beside the Web Annotation one.

A person's notes are an AnnotationCollection whose first (and only) page holds them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Seeknotes' own terms. A URN, as no document is served at it (JSON-LD needs only an IRI).
SEEKNOTES_TERMS = {"visibility": "urn:seeknotes:terms:visibility"}
# The @context of what Seeknotes writes: the Web Annotation one, then its own terms.
EXPORT_CONTEXT = [ANNOTATION_CONTEXT, SEEKNOTES_TERMS]
ANNOTATION_MEDIA_TYPE = f'application/ld+json; profile="{ANNOTATION_CONTEXT}"'
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
MARKDOWN = "text/markdown"
# Times are stored in a 32-bit integer column.
MAX_SECONDS = 2**31 - 1


def web_annotation(
    note,
    *,
    annotation_url: str,
    page_url: str,
    site_url: str,
    parent_url: str | None = None,
    with_context: bool = True,
) -> dict:
    """`note` (an Annotation with its episode, author and tags loaded) as a W3C Annotation.

    `parent_url` is the IRI of the annotation a reply replies to.
    """
    data: dict = {"@context": EXPORT_CONTEXT} if with_context else {}
    motivation = "commenting"
    if note.parent_id is not None:
        motivation = "replying"
    elif not note.body:
        motivation = "bookmarking"
    data |= {
        "id": annotation_url,
        "type": "Annotation",
        "motivation": motivation,
        "created": _date_time(note.created),
        "modified": _date_time(note.updated),
        "creator": {"type": "Person", "nickname": note.author.get_username()},
        "generator": {"id": site_url, "type": "Software", "name": "Seeknotes"},
        "visibility": note.visibility,
    }
    bodies = _bodies(note)
    if bodies:
        data["body"] = bodies if len(bodies) > 1 else bodies[0]
    data["target"] = _targets(note, page_url, parent_url)
    return data


def _bodies(note) -> list[dict]:
    """The note's text (Markdown and HTML to choose from), then a tagging body per tag."""
    bodies: list[dict] = []
    if note.body:
        bodies.append(
            {
                "type": "Choice",
                "items": [
                    {"type": "TextualBody", "value": note.body, "format": MARKDOWN},
                    {"type": "TextualBody", "value": str(note.body_html), "format": "text/html"},
                ],
            }
        )
    for name in note.tag_names:
        bodies.append({"type": "TextualBody", "purpose": "tagging", "value": name})
    return bodies


def media_fragment(start: int, end: int | None = None) -> str:
    """A Media Fragments time: "t=754", or the range "t=754,790"."""
    return f"t={start}" if end is None else f"t={start},{end}"


def _targets(note, page_url: str, parent_url: str | None) -> dict | list:
    video: dict = {"source": note.episode.youtube_url, "type": "Video"}
    if note.seconds is not None:
        video["selector"] = {
            "type": "FragmentSelector",
            "conformsTo": MEDIA_FRAGMENTS,
            "value": media_fragment(note.seconds, note.end_seconds),
        }
    targets: list = [parent_url] if parent_url else []
    targets.append(video)
    if note.quote:
        targets.append(
            {
                "source": page_url,
                "type": "Text",
                "format": "text/html",
                "selector": {"type": "TextQuoteSelector", "exact": note.quote},
            }
        )
    return targets if len(targets) > 1 else video


def annotation_collection(
    notes: Iterable,
    *,
    collection_url: str,
    label: str,
    annotation_for: Callable[[object], dict],
) -> dict:
    """An AnnotationCollection with every note on its one embedded page."""
    items = [annotation_for(note) for note in notes]
    return {
        "@context": EXPORT_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": f"{collection_url}#page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def wants_web_annotation(accept: str) -> bool:
    """Whether an Accept header asks for the Web Annotation profile of JSON-LD."""
    for media_range in accept.split(","):
        media_type, _, parameters = media_range.partition(";")
        if media_type.strip().lower() != "application/ld+json":
            continue
        profile = re.search(r'profile\s*=\s*"?([^";,]+)"?', parameters)
        if profile is None or profile.group(1).strip() == ANNOTATION_CONTEXT:
            return True
    return False


# Reading annotations back


class NotAnAnnotation(ValueError):
    """The document, or one annotation in it, is not what this reader understands."""


def youtube_video_id(url: str) -> str | None:
    """The 11-character id in a YouTube watch, short or embed URL; None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed "[" where an IPv6 host would be
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtube.com" and parts.path == "/watch":
        candidate = (parse_qs(parts.query).get("v") or [None])[0]
    elif host == "youtube.com" and parts.path.startswith(("/embed/", "/shorts/", "/live/")):
        candidate = parts.path.split("/")[2]
    elif host == "youtu.be":
        candidate = parts.path.lstrip("/").split("/")[0]
    if candidate and re.fullmatch(r"[A-Za-z0-9_-]{11}", candidate):
        return candidate
    return None


_NPT_TIME = re.compile(r"(?:(\d+):)?(\d+):(\d+(?:\.\d*)?)|(\d+(?:\.\d*)?)")


def media_fragment_start(value: str) -> int | None:
    """The start, in whole seconds, of a Media Fragments time: "t=69", "t=npt:1:09,80"."""
    times = media_fragment_times(value)
    return None if times is None else times[0]


def media_fragment_times(value: str) -> tuple[int, int | None] | None:
    """The start and end (None when open), in whole seconds, of a Media Fragments time:
    "t=69" is (69, None), "t=npt:1:09,80" (69, 80); None when unreadable."""
    for part in value.split("&"):
        name, _, time = part.partition("=")
        if name.strip() != "t":
            continue
        start, _, end = time.strip().removeprefix("npt:").partition(",")
        start_seconds = _npt_seconds(start)
        if start_seconds is None:
            return None
        if not end:
            return start_seconds, None
        end_seconds = _npt_seconds(end)
        return None if end_seconds is None else (start_seconds, end_seconds)
    return None


def _npt_seconds(time: str) -> int | None:
    match = _NPT_TIME.fullmatch(time.strip())
    if match is None:
        return None
    if match.group(4) is not None:
        seconds = int(match.group(4).split(".")[0])
    else:
        hours, minutes, secs = match.group(1), match.group(2), match.group(3)
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs.split(".")[0])
    return seconds if seconds <= MAX_SECONDS else None


def _date_time(moment: datetime) -> str:
    # To the microsecond (when there are any), so that a note read back keeps its times.
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")

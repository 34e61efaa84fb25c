"""What people paste for a YouTube video, to its 11-character id. Pure: no Django.

`video_id_from(text)` takes every form a browser, the share button or an embed code gives:
`watch?v=`, `youtu.be/`, `/shorts/`, `/embed/`, `/live/`, `/v/`, the `m.`, `music.` and
`www.` hosts and youtube-nocookie.com, with or without a scheme and with any `t=`, `si=` or
`list=`, or the bare id. Anything else raises `NotAVideo` naming why, in words for the form.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)
SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
# Paths whose next part is the video's id.
ID_PATHS = frozenset({"shorts", "embed", "live", "v", "e"})
MAX_LENGTH = 2000


class NotAVideo(ValueError):
    """The text names no YouTube video; the message says why, for the person who typed it."""


def video_id_from(text: str) -> str:
    """The video id in a YouTube address or the bare id itself; see the module docstring."""
    text = text.strip()
    if not text:
        raise NotAVideo("Paste a YouTube address or a video id.")
    if len(text) > MAX_LENGTH:
        raise NotAVideo("This is too long to be a YouTube address.")
    if VIDEO_ID.fullmatch(text):
        return text
    if "." not in text.split("/", 1)[0] and "://" not in text:
        raise NotAVideo(
            "This is neither a YouTube address nor a video id (11 letters, digits, - or _)."
        )
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.scheme not in {"http", "https"}:
        raise NotAVideo("A YouTube address starts with https://.")
    host = (parts.hostname or "").lower().rstrip(".")
    path = [part for part in parts.path.split("/") if part]
    if host in SHORT_HOSTS:
        candidate = path[0] if path else ""
    elif host in YOUTUBE_HOSTS:
        candidate = _id_on_youtube(path, parts.query)
    else:
        raise NotAVideo(f"This is not a YouTube address ({host or 'no host'}).")
    if not candidate:
        raise NotAVideo("This YouTube address names no video (a channel, playlist or search?).")
    if not VIDEO_ID.fullmatch(candidate):
        raise NotAVideo(
            f"The video id in this address ({candidate[:20]!r}) is not 11 letters, digits, - or _."
        )
    return candidate


def _id_on_youtube(path: list[str], query: str) -> str:
    if path == ["watch"] or not path:
        values = parse_qs(query).get("v", [])
        return values[0].strip() if values else ""
    if len(path) >= 2 and path[0] in ID_PATHS:
        return path[1]
    return ""

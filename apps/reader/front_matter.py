"""The front matter of a seed document: `key: value` lines between two `---` lines. Pure.

A generator sometimes leaked a line ("Here is the article:") or a fence before the front
matter: it is skipped with a warning. A document with no readable front matter, no title or
an article whose videoId is no YouTube id raises `DocumentError`.
"""

from __future__ import annotations

import re

from apps.reader.parsed import DocumentError, ParseWarning
from apps.reader.timestamps import shorten

_FRONT_MATTER_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]?(.*)$")
PREAMBLE = re.compile(
    r"(?:here(?: is|'s| are)|below is|sure|certainly|okay|ok)\b[^\n]{0,160}:$", re.IGNORECASE
)
_LEADING_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*(?:markdown|md|yaml)?[ \t]*$", re.IGNORECASE)
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_PLACEHOLDER_VIDEO_ID = re.compile(
    r"x+|_+|-+|0+|\.+|(?:your|my|the)?[_ -]?video[_ -]?id.*|placeholder.*|tbd|todo|none|null|"
    r"n/?a|<.*>|\{.*\}|\[.*\]",
    re.IGNORECASE,
)


FrontMatter = dict[str, tuple[str, int]]  # lowercased key -> (value, line)


def read_front_matter(
    lines: list[str], warnings: list[ParseWarning]
) -> tuple[FrontMatter, int, int]:
    """The `key: value` pairs between the --- lines (lowercased keys, with their line), and
    the 1-based numbers of the opening --- line and of the first body line."""
    first = _next_filled(lines, 0)
    if first is None:
        raise DocumentError("the document is empty", 1)
    opening = first
    if lines[first].strip() != "---":
        opening = _opening_after_leaked_line(lines, first, warnings)
    values: FrontMatter = {}
    for index in range(opening + 1, len(lines)):
        line = lines[index].strip()
        if line in ("---", "..."):
            return values, opening + 1, index + 2
        match = _FRONT_MATTER_KEY.match(line)
        if match:
            values.setdefault(match.group(1).lower(), (_unquote(match.group(2)), index + 1))
    raise DocumentError("the front matter is never closed with ---", opening + 1)


def _opening_after_leaked_line(lines: list[str], first: int, warnings: list[ParseWarning]) -> int:
    """The opening --- after a line a generator leaked before it; there must be one."""
    following = _next_filled(lines, first + 1)
    leaked = lines[first].strip()
    if (
        following is None
        or lines[following].strip() != "---"
        or not (PREAMBLE.match(leaked) or _LEADING_FENCE.match(leaked) or leaked.endswith(":"))
    ):
        raise DocumentError(
            "no front matter: a document starts with ---, title: and ---", first + 1
        )
    warnings.append(
        ParseWarning(first + 1, f'text before the front matter skipped: "{shorten(leaked)}"')
    )
    if _LEADING_FENCE.match(leaked):
        _blank_last_fence(lines, leaked[0])
    return following


def _next_filled(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _blank_last_fence(lines: list[str], fence_character: str) -> None:
    for index in range(len(lines) - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped:
            if stripped.startswith(fence_character * 3) and not stripped.strip(fence_character):
                lines[index] = ""
            return


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == "'":
            return inner.replace("''", "'").strip()
        return inner.replace('\\"', '"').replace("\\\\", "\\").strip()
    return value


def check_video_id(value: str, line: int) -> str:
    if not value:
        raise DocumentError("videoId is empty", line)
    if _PLACEHOLDER_VIDEO_ID.fullmatch(value):
        raise DocumentError(f'videoId "{value}" is a placeholder, not a YouTube id', line)
    if not _VIDEO_ID.fullmatch(value):
        raise DocumentError(f'videoId "{shorten(value)}" is not an 11-character YouTube id', line)
    return value

"""The Podcasting 2.0 JSON chapters rules (jsonChapters.md, version 1.2) as a checker.

Each rule of the specification becomes a message when broken; tests prove the checker on the
specification's own examples (which must pass) and on broken copies of them (which must not)
before trusting it with Seeknotes' files.
"""

from __future__ import annotations

import re
from typing import Any

# RFC 5870: geo:<lat>,<lon>[,<alt>][;params]
_GEO_URI = re.compile(r"geo:-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?(?:,-?\d+(?:\.\d+)?)?(?:;.*)?$", re.I)
_OPTIONAL_TOP_LEVEL = {
    "author": str,
    "title": str,
    "podcastName": str,
    "description": str,
    "fileName": str,
    "waypoints": bool,
}
_OPTIONAL_CHAPTER = {"title": str, "img": str, "url": str, "toc": bool}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def chapters_problems(document: Any) -> list[str]:
    """Every way `document` breaks the JSON chapters rules; empty when it keeps them all."""
    if not isinstance(document, dict):
        return ["the document is not a JSON object"]
    problems: list[str] = []
    if not isinstance(document.get("version"), str):
        problems.append("version is required and must be a string")
    for name, kind in _OPTIONAL_TOP_LEVEL.items():
        if name in document and not isinstance(document[name], kind):
            problems.append(f"{name} must be a {kind.__name__}")
    chapters = document.get("chapters")
    if not isinstance(chapters, list):
        problems.append("chapters is required and must be an array")
        return problems
    previous_start = None
    for index, chapter in enumerate(chapters):
        where = f"chapters[{index}]"
        if not isinstance(chapter, dict):
            problems.append(f"{where} is not an object")
            continue
        start = chapter.get("startTime")
        if not _is_number(start):
            problems.append(f"{where}.startTime is required and must be a number")
            start = None
        elif start < 0:
            problems.append(f"{where}.startTime is negative")
        for name, kind in _OPTIONAL_CHAPTER.items():
            if name in chapter and not isinstance(chapter[name], kind):
                problems.append(f"{where}.{name} must be a {kind.__name__}")
        if "endTime" in chapter:
            end = chapter["endTime"]
            if not _is_number(end):
                problems.append(f"{where}.endTime must be a number")
            elif start is not None and end < start:
                problems.append(f"{where}.endTime is before its startTime")
        if "location" in chapter:
            problems.extend(_location_problems(chapter["location"], f"{where}.location"))
        if start is not None:
            if previous_start is not None and start < previous_start:
                problems.append(f"{where}.startTime is not in ascending order")
            previous_start = start
    return problems


def _location_problems(location: Any, where: str) -> list[str]:
    if not isinstance(location, dict):
        return [f"{where} must be an object"]
    problems = []
    if not isinstance(location.get("name"), str):
        problems.append(f"{where}.name is required and must be a string")
    geo = location.get("geo")
    if not isinstance(geo, str) or not _GEO_URI.match(geo):
        problems.append(f"{where}.geo is required and must be a geo URI (RFC 5870)")
    if "osm" in location and not isinstance(location["osm"], str):
        problems.append(f"{where}.osm must be a string")
    return problems

"""schema.org JSON-LD for the episode page: a VideoObject whose `hasPart` Clips are its chapters,
which is what search engines read as a video's key moments. Pure: no database, no request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from apps.episodes.models import Episode, moment_url
from apps.exports.chapters import Chapter

# Inside <script>, "</script>" or "<!--" in a title would end or confuse the element; these
# escapes are what Django's json_script uses, and JSON parsers read them back unchanged.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def video_object(
    episode: Episode,
    chapters: Iterable[Chapter],
    *,
    page_url: str,
    description: str = "",
) -> dict:
    """The episode as a VideoObject; uploadDate is not known, so it is left out."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": episode.display_title,
        "description": description or f"Notes on {episode.display_title}, moment by moment.",
        "thumbnailUrl": [episode.thumbnail_url],
        "embedUrl": f"https://www.youtube.com/embed/{episode.video_id}",
        "url": page_url,
    }
    if episode.duration_seconds:
        data["duration"] = iso_duration(episode.duration_seconds)
    data["hasPart"] = [
        {
            "@type": "Clip",
            "name": chapter.title,
            "startOffset": chapter.start,
            "endOffset": chapter.end,
            "url": moment_url(page_url, chapter.start),
        }
        for chapter in chapters
    ]
    return data


def iso_duration(seconds: int) -> str:
    """3723 -> "PT1H2M3S" (ISO 8601, as schema.org's Duration)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if secs or not (hours or minutes):
        parts.append(f"{secs}S")
    return "PT" + "".join(parts)


def json_ld_script(data: dict) -> SafeString:
    """`data` in a <script type="application/ld+json">, safe whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))

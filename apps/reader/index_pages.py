"""Pages with no videoId: a channel's index of its episodes, or a directory of channels. Pure.

A channel index lists each episode as a heading linking to its video, with the articles made
from it in a list of wiki links below; a directory lists channels as wiki links
(`- [[slug | Name]]`), which gives channels their names. Any other line is skipped with a
warning.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePath

from apps.reader.parsed import (
    DocumentError,
    IndexedEpisode,
    ParsedChannelIndex,
    ParsedDirectory,
    ParseWarning,
)
from apps.reader.slugs import INVISIBLE_MARKS, channel_slug, slugify

_EPISODE_HEADING = re.compile(
    r"#{1,6}[ \t]+\[(?P<title>.*)\]\([ \t]*<?https?://(?:www\.|m\.)?"
    r"(?:youtube\.com/watch\?(?:[^()\s]*&)?v=|youtu\.be/)(?P<id>[A-Za-z0-9_-]{11})"
    r"[^()\s]*>?[ \t]*\)[ \t]*$"
)
_WIKILINK = re.compile(r"\[\[([^\[\]|]+?)[ \t]*(?:\|[ \t]*([^\[\]]*?)[ \t]*)?\]\]")
_PAGE_LIST_ITEM = re.compile(r"[ \t]*[-*+][ \t]+")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def parse_page(
    title: str, body: list[tuple[int, str]], path: str, warnings: list[ParseWarning]
) -> ParsedChannelIndex | ParsedDirectory:
    """A page with no videoId: a channel's index of episodes, or a directory of channels."""
    if any(_EPISODE_HEADING.match(text.strip()) for _, text in body if text.startswith("#")):
        return _parse_channel_index(title, body, path, warnings)
    for number, text in body:
        if text.strip()[:5].lower() == "from:":
            raise DocumentError("no videoId in the front matter of an article", number)
    channels: list[tuple[str, str]] = []
    for number, text in body:
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue  # headings only decorate a directory
        links = _WIKILINK.findall(stripped) if _PAGE_LIST_ITEM.match(text) else []
        if links:
            target, name = links[0]
            slug = channel_slug(target)
            channels.append((slug, INVISIBLE_MARKS.sub("", name).strip() or slug))
        else:
            warnings.append(ParseWarning(number, "text outside the channel list skipped"))
    return ParsedDirectory(title=title, channels=channels, warnings=warnings)


def _parse_channel_index(
    title: str, body: list[tuple[int, str]], path: str, warnings: list[ParseWarning]
) -> ParsedChannelIndex:
    episodes: list[IndexedEpisode] = []
    for number, text in body:
        stripped = text.strip()
        if not stripped:
            continue
        heading = _EPISODE_HEADING.match(stripped)
        if heading:
            episode_title = html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", heading.group("title")))
            episodes.append(IndexedEpisode(heading.group("id"), episode_title.strip(), [], number))
            continue
        links = _WIKILINK.findall(stripped) if _PAGE_LIST_ITEM.match(text) else []
        if links and episodes:
            episodes[-1].article_slugs.extend(
                slug for target, _ in links if (slug := slugify(target.split("#")[0]))
            )
        else:
            warnings.append(ParseWarning(number, "line outside an episode list skipped"))
    return ParsedChannelIndex(
        slug=channel_slug(PurePath(path).stem),
        title=title,
        episodes=episodes,
        warnings=warnings,
    )

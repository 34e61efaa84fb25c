"""Adding an episode from a YouTube address, before (or without) any document about it.

The episode page works with no article at all: the player, the timeline and the note at a
moment need only the episode, so a person can watch and annotate a video nobody imported.
Its title is the one given, or, where the deployment sets SEEKNOTES_OEMBED_URL, the one
YouTube's oEmbed endpoint answers, asked once with a short timeout; when that fails for any
reason the episode is still added, untitled ("Episode <id>") until a document or the admin
names it.

Anyone signed in may add an episode, so what a person not trusted with content adds is
unlisted (see `Episode.listed`) until an import or staff confirm it, and its title is
YouTube's wherever oEmbed answers one, the title typed only standing in where it does not.
"""

from __future__ import annotations

import json
import logging
from typing import NamedTuple
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.exceptions import ValidationError

from apps.episodes.models import ContentVersion, Episode
from apps.reader.youtube import NotAVideo, video_id_from

logger = logging.getLogger(__name__)

# The ingest app's permission, named here as a string: episodes may not import ingest.
IMPORT_PERMISSION = "ingest.import_documents"
MAX_TITLE_LENGTH = Episode._meta.get_field("title").max_length
# An oEmbed answer is a few hundred bytes; anything much larger is not one.
MAX_OEMBED_BYTES = 64 * 1024


class AddedEpisode(NamedTuple):
    episode: Episode
    created: bool


def add_episode(address: str, title: str = "", added_by=None) -> AddedEpisode:
    """The episode `address` names, created if new; `ValidationError` naming why otherwise.

    An episode that exists already is returned as it is (its title kept). One new that a
    person `added_by` adds is unlisted unless they are trusted with content (staff, or
    allowed to import documents); with no person (a command, a test) it is listed.
    """
    try:
        video_id = video_id_from(address)
    except NotAVideo as refused:
        raise ValidationError({"url": ValidationError(str(refused), code="not_a_video")}) from None
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_LENGTH:
        message = f"A title has at most {MAX_TITLE_LENGTH} characters."
        raise ValidationError({"title": ValidationError(message, code="too_long")})
    existing = Episode.objects.filter(video_id=video_id).first()
    if existing is not None:
        return AddedEpisode(existing, created=False)
    trusted = added_by is None or is_trusted_with_content(added_by)
    if not title or not trusted:
        title = oembed_title(video_id) or title
    defaults = {"title": title, "listed": trusted, "added_by": added_by}
    with ContentVersion.changing():
        episode, created = Episode.objects.get_or_create(video_id=video_id, defaults=defaults)
    return AddedEpisode(episode, created)


def is_trusted_with_content(user) -> bool:
    """Whether what `user` adds is listed at once: staff, and those who may import documents
    (whose imports list episodes anyway)."""
    return bool(user.is_staff or user.has_perm(IMPORT_PERMISSION))


def oembed_title(video_id: str) -> str:
    """The video's title from the oEmbed endpoint the settings name, or "" (never raises)."""
    endpoint = getattr(settings, "SEEKNOTES_OEMBED_URL", "")
    if not endpoint:
        return ""
    query = urlencode({"url": f"https://www.youtube.com/watch?v={video_id}", "format": "json"})
    request = Request(
        f"{endpoint}{'&' if '?' in endpoint else '?'}{query}",
        headers={"Accept": "application/json", "User-Agent": "Seeknotes"},
    )
    try:
        with urlopen(request, timeout=settings.SEEKNOTES_OEMBED_TIMEOUT) as response:
            answer = json.loads(response.read(MAX_OEMBED_BYTES + 1)[:MAX_OEMBED_BYTES])
    except (URLError, OSError, ValueError) as error:
        # A missing title is no reason to refuse the episode: say why in the log only.
        logger.warning("oEmbed title for %s not read: %s", video_id, error)
        return ""
    title = answer.get("title") if isinstance(answer, dict) else None
    if not isinstance(title, str):
        return ""
    # A NUL (which PostgreSQL cannot store) is dropped like the rest of the odd whitespace.
    return " ".join(title.replace("\x00", "").split())[:MAX_TITLE_LENGTH]

"""Episode pages as most readers get them, rendered once per version of the content.

A reader who is not signed in, on an episode without public notes, gets the same page as
every other such reader, so it is kept in the cache under the content's version
(`ContentVersion`, which any change to imported content moves on), the site's address (scheme
and host: its structured data holds absolute URLs) and the path. Pages
carrying notes, or rendered for someone signed in, are always rendered afresh: notes
change without the content changing.

Whether a request may be served from the cache is settled by one SQL query, before the ORM
builds anything: that query, not the page, is what a kept page costs.

The only per-reader part of such a page is the CSRF token htmx sends; it is cut out before
the page is kept and the reader's own is put back in when it is served.
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.middleware.csrf import get_token

from apps.annotations.models import Annotation
from apps.episodes.models import ContentVersion, Episode

_TOKEN_IN_PAGE = re.compile(r'(<body hx-headers=\'\{"X-CSRFToken": ")([^"]*)(")')


@functools.cache
def _key_sql() -> str:
    quote = connection.ops.quote_name
    episode, version = quote(Episode._meta.db_table), quote(ContentVersion._meta.db_table)
    notes = quote(Annotation._meta.db_table)
    return (
        f"SELECT e.id, (SELECT number FROM {version} WHERE id = 1), "
        f"EXISTS (SELECT 1 FROM {notes} a WHERE a.episode_id = e.id AND a.visibility = %s) "
        f"FROM {episode} e WHERE e.video_id = %s"
    )


def asks_only_a_moment(request: HttpRequest) -> bool:
    """Whether the request's query is none, or only what the episode page understands (`t`, a
    moment; `end`, a clip's end), each once: only then may a page kept for it be reused, so
    that junk parameters cannot fill the cache."""
    return not set(request.GET) - {"t", "end"} and all(
        len(values) == 1 for _, values in request.GET.lists()
    )


def page_key(request: HttpRequest, video_id: str) -> str | None:
    """The cache key of this request's page, or None when it must be rendered for the reader."""
    # Without a session nobody is signed in, and no message waits to be shown to them alone.
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if not asks_only_a_moment(request):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_key_sql(), [Annotation.Visibility.PUBLIC, video_id])
        row = cursor.fetchone()
    if row is None or row[2]:
        return None
    # The page's absolute URLs come from the scheme and host, so they are part of what it is.
    address = request.build_absolute_uri(request.get_full_path())
    path = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"episode-page:{row[0]}:{row[1] or 0}:{path}"


def cached_page(request: HttpRequest, key: str) -> bytes | None:
    kept = cache.get(key)
    if kept is None:
        return None
    before, after = kept
    return b"".join((before, get_token(request).encode(), after))


def keep_page(key: str, html: str, *, notes_shown: int) -> None:
    # A public note written since the key was read is on this page: it is not kept, or it
    # would outlive the note's deletion.
    if notes_shown:
        return
    token = _TOKEN_IN_PAGE.search(html)
    if token is None:  # never keep a page whose token could not be taken out
        return
    # Kept as the bytes either side of the token, ready to be joined around a reader's own.
    cache.set(
        key,
        (html[: token.start(2)].encode(), html[token.end(2) :].encode()),
        settings.KEPT_PAGE_SECONDS,
    )

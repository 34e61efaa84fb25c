"""The episode page's own HTML around its pieces, kept per episode and kind of reader.

Once the articles, the notes and the timeline's lanes are kept pieces
(`apps/pages/episode_pieces.py`), what is left to render on every request is the page's shell:
the header, the player and its controls, the keyboard help, the timeline's frame and axis, the
contents, the related episodes. It is the same for every request of one episode with the same
timeline shape, signed in or not, but for a few values: the CSRF token, the reader's name, and
the pieces themselves. So it is rendered once with a stand-in for each of those, cut at them,
kept, and filled in per request.

It is rendered as usual, and not kept, for a request with a query other than a moment and a
clip's end (`?t=`, `&end=`), and for a reader with a message waiting. Everything else it shows
goes into its key: the path asked for (the sign-in links carry it) with the moment it cues, the
episode's and its channel's rows, the content's version, the timeline's shape, the site's
address and the static files' manifest.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.pages.episode_pieces import Splice, page_token
from apps.pages.kept import keep_piece, kept_piece
from apps.pages.page_cache import asks_only_a_moment

PAGE = "episodes/episode.html"
# Each slot is a value of one request: what the page's pieces put in, and the reader's own.
_SLOTS = ("articles", "lanes", "marks", "loose", "note_now", "csrf", "username")
_ONCE = frozenset({"articles", "lanes", "marks", "loose", "note_now"})  # at most once each


def episode_page_html(
    request: HttpRequest, context: dict, articles: list[bytes] | None, *, keep: bool = True
) -> bytes:
    """The episode page of this `context` (as `episodes/episode.html` takes it, but for
    `articles`, the articles with their notes lists as UTF-8 parts), from the kept shell when
    it may be kept."""
    key = _shell_key(request, context) if keep else None
    if key is None:
        splice = Splice()
        timeline = context["timeline"]
        html = render_to_string(
            PAGE,
            {
                **context,
                "articles": splice.mark(b"".join(articles)) if articles is not None else None,
                "timeline": replace(timeline, lanes=timeline.lanes.spliced(splice)),
            },
            request,
        )
        return splice.into(html)
    shell = kept_piece(key)
    if shell is None:
        try:
            shell = _Shell.render(request, context, has_articles=articles is not None)
        except ReadsTheReader:
            return episode_page_html(request, context, articles, keep=False)
        keep_piece(key, shell, settings.KEPT_PAGE_SECONDS)
    timeline = context["timeline"]
    note_now = context["note_now_form"]
    return shell.fill(
        {
            "articles": articles or [],
            "lanes": timeline.lanes.utf8,
            "marks": timeline.notes.encode(),
            "loose": context["loose_notes"].encode(),
            "note_now": note_now.encode() if note_now else b"",
            "csrf": page_token(request).encode(),
            "username": escape(request.user.get_username()).encode(),
        }
    )


def _shell_key(request: HttpRequest, context: dict) -> str | None:
    """The kept shell's key for this request, or None when the page is rendered as usual."""
    # The page shows the path it was asked for in its sign-in links: part of the key below.
    if not asks_only_a_moment(request) or len(get_messages(request)):
        return None
    episode, timeline, pieces = context["episode"], context["timeline"], context["pieces"]
    shown = (
        _row(episode),
        _row(episode.channel) if episode.channel_id else None,
        pieces.version,
        pieces.article_count,
        timeline.shape,
        request.build_absolute_uri(request.get_full_path()),
        (context["start_seconds"], context["end_seconds"]),
        request.user.is_authenticated,
        getattr(staticfiles_storage, "manifest_hash", ""),
    )
    return f"episode-shell:{episode.pk}:{hashlib.sha256(repr(shown).encode()).hexdigest()}"


def _row(instance: Any) -> tuple:
    return tuple(getattr(instance, field.attname) for field in instance._meta.concrete_fields)


class ReadsTheReader(Exception):
    """The shell read something of the reader that its stand-in does not give (a template
    changed): the page is rendered as it stands instead, and its shell is not kept."""


@dataclass(frozen=True, slots=True)
class _StandInUser:
    """The signed-in reader, as the shell reads them: only their name, as a stand-in."""

    username: str
    is_authenticated: ClassVar[bool] = True

    def get_username(self) -> str:
        return self.username

    def __getattr__(self, name: str):
        # Not an AttributeError, which the template engine would render as "" for everyone.
        raise ReadsTheReader(name)


@dataclass(frozen=True, slots=True)
class _Shell:
    """The page's HTML as UTF-8, cut where each request puts its own values: text at even
    places, the name of a slot at odd ones."""

    parts: tuple[bytes | str, ...]

    @classmethod
    def render(cls, request: HttpRequest, context: dict, *, has_articles: bool) -> _Shell:
        # New stand-ins for every render: no title or note can hold one. Letters and digits
        # only, so that escaping leaves them as they are.
        stand_ins = {slot: f"slot{secrets.token_hex(16)}" for slot in _SLOTS}
        timeline = context["timeline"]
        values = {
            **context,
            "articles": mark_safe(stand_ins["articles"]) if has_articles else None,
            "timeline": replace(
                timeline,
                lanes=replace(timeline.lanes, html=mark_safe(stand_ins["lanes"])),
                notes=mark_safe(stand_ins["marks"]) if timeline.notes else mark_safe(""),
            ),
            "loose_notes": mark_safe(stand_ins["loose"]),
            "note_now_form": mark_safe(stand_ins["note_now"]) if context["note_now_form"] else None,
            "csrf_token": stand_ins["csrf"],
            "messages": (),
        }
        if request.user.is_authenticated:
            values["user"] = _StandInUser(stand_ins["username"])
        html = render_to_string(PAGE, values, request)
        slot_of = {stand_in: slot for slot, stand_in in stand_ins.items()}
        pieces = re.split(f"({'|'.join(stand_ins.values())})", html)
        written = [slot_of[piece] for piece in pieces[1::2]]
        if any(written.count(slot) > 1 for slot in _ONCE):
            raise RuntimeError("A piece of the episode page is written twice in its shell.")
        return cls(
            tuple(
                slot_of[piece] if index % 2 else piece.encode()
                for index, piece in enumerate(pieces)
            )
        )

    def fill(self, values: dict[str, bytes | list[bytes]]) -> bytes:
        """The page with these values (one's parts, for a list) in their slots: one join."""
        page: list[bytes] = []
        for part in self.parts:
            value = part if isinstance(part, bytes) else values[part]
            if isinstance(value, bytes):
                page.append(value)
            else:
                page.extend(value)
        return b"".join(page)

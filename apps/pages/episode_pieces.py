"""The episode page composed from pieces every reader shares, plus the reader's own notes.

An episode's articles, its contents list, its structured data and its timeline lanes are the
same for every reader until imported content changes, so each is rendered once and kept in
the configured cache under the content's version (`ContentVersion`, which any import that
changes content moves on). Nothing kept belongs to a reader: no notes, no forms, no CSRF
token; only whether someone is signed in (the "Note" link under each claim) and the site's
address (the structured data's absolute URLs) pick one of a few variants.

A reader's page is then the kept pieces with their own notes put in: each claim's empty
notes list (`<div class="claim-notes" data-annotations-for="…"></div>`, as the article piece
leaves it) is replaced by the list rendered for this reader, from each note's stored HTML.
Each note's item is kept too, until the note changes: one as everyone but its author sees
it, and one as its author does, with its forms' CSRF token put in for each request.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.context import RequestContext
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.models import Annotation
from apps.annotations.selectors import ShownNotes
from apps.episodes.corrections import attach_correction_history, with_corrections_shown
from apps.episodes.links import link_claims, mentions_of
from apps.episodes.models import Article, ContentVersion, Episode
from apps.episodes.outline import ArticleOutline, build_outlines
from apps.pages.templatetags.exports import episode_structured_data
from apps.pages.timeline import DrawnLanes, draw_lanes, episode_duration, last_second_of

PAGE = "episodes/episode.html"
_EMPTY_CLAIM_NOTES = re.compile(r'<div class="claim-notes" data-annotations-for="(\d+)"></div>')


@dataclass(frozen=True, slots=True)
class EpisodePieces:
    """What an episode's page shows of its content, rendered; the same for every reader."""

    version: int
    article_count: int
    articles: list[SafeString]  # each article, its claims' notes lists left empty
    toc: SafeString
    structured_data: SafeString
    last_second: int | None  # the content's last moment, for a timeline of unknown length
    lanes: DrawnLanes  # the timeline's lanes, for the length the content alone gives


def episode_pieces(request: HttpRequest, episode: Episode) -> EpisodePieces:
    """The episode's shared pieces, from the cache or rendered (and kept) now."""
    version = ContentVersion.current()
    signed_in = request.user.is_authenticated
    address = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    key = f"episode-pieces:{episode.pk}:{version}:{int(signed_in)}:{address}"
    pieces = cache.get(key)
    if pieces is None:
        pieces = _render_pieces(request, episode, version, signed_in=signed_in)
        cache.set(key, pieces, settings.KEPT_PAGE_SECONDS)
    return pieces


def episode_lanes(episode: Episode, pieces: EpisodePieces, notes: list[Annotation]) -> DrawnLanes:
    """The timeline's lanes for these notes: kept per duration, which notes may lengthen."""
    duration = episode_duration(episode, pieces.last_second, notes)
    if duration == pieces.lanes.duration:
        return pieces.lanes
    # Only when the length is unknown and a note lies past the content's last moment.
    key = f"episode-lanes:{episode.pk}:{pieces.version}:{duration}"
    lanes = cache.get(key)
    if lanes is None:
        lanes = draw_lanes(_outlines(episode), duration)
        cache.set(key, lanes, settings.KEPT_PAGE_SECONDS)
    return lanes


def _outlines(episode: Episode) -> list[ArticleOutline]:
    articles = list(
        with_corrections_shown(Article.objects.for_episode_page(episode).select_related("channel"))
    )
    link_claims(articles, episode)
    attach_correction_history(articles)
    mentions = mentions_of(episode)
    for article in articles:
        article.mentions = mentions.get(article.pk)
    return build_outlines(articles)


def _render_pieces(
    request: HttpRequest, episode: Episode, version: int, *, signed_in: bool
) -> EpisodePieces:
    outlines = _outlines(episode)
    last_second = last_second_of(outlines)
    new_note_url = reverse("annotations:new", args=[episode.video_id])
    # Reversed once: a long page has thousands of claims, each with its own address.
    timestamps_before, timestamps_after = reverse("episodes:claim_timestamps", args=[0]).split(
        "/0/"
    )
    article = get_template(f"{PAGE}#article")
    return EpisodePieces(
        version=version,
        article_count=len(outlines),
        articles=[
            mark_safe(
                article.render(
                    {
                        "outline": outline,
                        "signed_in": signed_in,
                        "new_note_url": new_note_url,
                        "timestamps_before": timestamps_before,
                        "timestamps_after": timestamps_after,
                        "episode_path": episode.get_absolute_url(),
                    }
                )
            )
            for outline in outlines
        ],
        toc=mark_safe(render_to_string(f"{PAGE}#toc", {"outlines": outlines})),
        structured_data=episode_structured_data({"request": request}, episode, outlines),
        last_second=last_second,
        lanes=draw_lanes(outlines, episode_duration(episode, last_second, [])),
    )


def with_notes(request: HttpRequest, pieces: EpisodePieces, shown: ShownNotes) -> list[SafeString]:
    """The articles with the reader's notes listed under their claims."""
    lists = _claim_note_lists(request, shown, pieces.version)
    if not lists:
        return pieces.articles

    def fill(match: re.Match) -> str:
        return lists.get(int(match[1]), match[0])

    return [mark_safe(_EMPTY_CLAIM_NOTES.sub(fill, html)) for html in pieces.articles]


def _claim_note_lists(request: HttpRequest, shown: ShownNotes, version: int) -> dict[int, str]:
    """Each claim's notes list, as `_annotations.html#claim-notes` writes it, by claim id."""
    by_claim: dict[int, list[Annotation]] = {}
    for note in shown.notes:
        if note.claim_id is not None:
            by_claim.setdefault(note.claim_id, []).append(note)
    if not by_claim:
        return {}
    template = get_template("annotations/_annotations.html#claim-notes").template
    # One context for every list: its processors (the user, the CSRF token) run once.
    context = RequestContext(request)
    lists = {}
    with context.bind_template(template):
        _keep_note_items(context, [note for notes in by_claim.values() for note in notes], version)
        for claim_id, notes in by_claim.items():
            values = {
                "claim": _ClaimId(claim_id),
                "annotations": notes,
                "notes_total": shown.count_by_claim[claim_id],
            }
            with context.push(values):
                lists[claim_id] = template.render(context)
    return lists


def _keep_note_items(context: RequestContext, notes: list[Annotation], version: int) -> None:
    """Give each note its item (`kept_html`), kept in the cache until the note changes.

    A note looks the same to every reader but its author, and to its author on every page but
    for the CSRF token of its forms: so each note has two kept items, and the author's is kept
    with a stand-in for the token, put back for this request. The key has everything of the
    note an item shows that a change could move.
    """
    if not notes:
        return
    reader_id = context["user"].pk
    keys = {note.pk: _note_key(note, version, mine=note.author_id == reader_id) for note in notes}
    kept = cache.get_many(keys.values())
    item = get_template("annotations/_annotations.html#annotation").template
    fresh = {}
    token = None
    for note in notes:
        key = keys[note.pk]
        pieces = kept.get(key)
        if pieces is None:
            pieces = fresh[key] = _render_item(context, item, note)
        if len(pieces) > 1 and token is None:
            token = str(context["csrf_token"])
        note.kept_html = mark_safe(pieces[0] if len(pieces) == 1 else token.join(pieces))
    if fresh:
        cache.set_many(fresh, settings.KEPT_PAGE_SECONDS)


def _render_item(context: RequestContext, item, note: Annotation) -> tuple[str, ...]:
    """The note's item, cut where its forms' CSRF token goes (no cut: it has no form).

    The stand-in is new for every item rendered, so no note's own words can hold it.
    """
    stand_in = f"csrf-{secrets.token_hex(16)}"
    with context.push(annotation=note, csrf_token=stand_in):
        return tuple(item.render(context).split(stand_in))


def _note_key(note: Annotation, version: int, *, mine: bool) -> str:
    shown = f"{note.updated.isoformat()}:{note.claim_id}:{note.seconds}:{note.visibility}"
    shown += f":{int(mine)}:{','.join(note.tag_names)}"
    # A reply elsewhere changes the count the note shows, not the note ("updated").
    shown += f":{note.end_seconds}:{getattr(note, 'reply_count', 0)}"
    # A reply's note made private or public again changes its link, not the reply.
    shown += f":{getattr(note, 'parent_open', None)}"
    author = hashlib.sha256(note.author.get_username().encode()).hexdigest()[:12]
    return f"note-item:{note.pk}:{version}:{author}:{shown}"


@dataclass(frozen=True, slots=True)
class _ClaimId:
    """All a claim's notes list reads of its claim."""

    pk: int

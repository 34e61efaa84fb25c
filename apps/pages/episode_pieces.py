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
import itertools
import pickle
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import ClassVar

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.context import RequestContext
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.forms import NewAnnotationForm
from apps.annotations.models import Annotation, tag_names_of
from apps.annotations.selectors import (
    NoteRow,
    claim_note_rows,
    episode_note_rows,
    shown_under_claims,
    timed_notes_besides,
)
from apps.episodes.corrections import attach_correction_history, with_corrections_shown
from apps.episodes.links import link_claims, mentions_of, related_episodes
from apps.episodes.models import Article, ContentVersion, Episode
from apps.episodes.outline import ArticleOutline, build_outlines
from apps.pages.kept import keep_piece, keep_pieces, kept_piece, kept_pieces
from apps.pages.templatetags.exports import episode_structured_data
from apps.pages.timeline import (
    DrawnLanes,
    Timeline,
    build_timeline,
    draw_lanes,
    episode_duration,
    last_second_of,
    mark_key,
    render_mark,
)
from apps.pages.unindented import unindented

PAGE = "episodes/episode.html"
_EMPTY_CLAIM_NOTES = re.compile(r'<div class="claim-notes" data-annotations-for="(\d+)"></div>')
_EMPTY_LIST = b'<div class="claim-notes" data-annotations-for="%d"></div>'
# Moved on when what `EpisodePieces` holds changes, so that a shared cache's pieces kept by an
# earlier release are not read as this one's.
_PIECES_FORMAT = 4


@dataclass(frozen=True, slots=True)
class ArticleParts:
    """An article's HTML as UTF-8, cut at its claims' empty notes lists.

    `parts` alternates the article's own HTML and each claim's empty list, so that a reader's
    page puts a claim's notes in by replacing one element (`slots`: claim id to its index)
    rather than searching the article's text.
    """

    parts: tuple[bytes, ...]
    slots: dict[int, int]

    @classmethod
    def cut(cls, html: str) -> ArticleParts:
        pieces = _EMPTY_CLAIM_NOTES.split(html)  # text, claim id, text, claim id, ..., text
        parts, slots = [pieces[0].encode()], {}
        for claim_id, text in zip(pieces[1::2], pieces[2::2], strict=True):
            slots[int(claim_id)] = len(parts)
            parts += [_EMPTY_LIST % int(claim_id), text.encode()]
        return cls(tuple(parts), slots)

    def with_lists(self, lists: dict[int, bytes]) -> list[bytes]:
        """The article's parts with these claims' lists in place of their empty ones."""
        parts = list(self.parts)
        for claim_id, html in lists.items():
            index = self.slots.get(claim_id)
            if index is not None:
                parts[index] = html
        return parts


@dataclass(frozen=True, slots=True)
class EpisodePieces:
    """What an episode's page shows of its content, rendered; the same for every reader."""

    version: int
    article_count: int
    articles: ArticleParts  # the articles, one after another, their claims' lists left empty
    toc: SafeString
    structured_data: SafeString
    last_second: int | None  # the content's last moment, for a timeline of unknown length
    lanes: DrawnLanes  # the timeline's lanes, for the length the content alone gives
    related_episodes: list[Episode]  # those sharing the most links with it (links.py)


def episode_pieces(request: HttpRequest, episode: Episode) -> EpisodePieces:
    """The episode's shared pieces, from the cache or rendered (and kept) now."""
    version = ContentVersion.current()
    signed_in = request.user.is_authenticated
    address = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:16]
    key = f"episode-pieces:{_PIECES_FORMAT}:{episode.pk}:{version}:{int(signed_in)}:{address}"
    pieces = kept_piece(key)
    if pieces is None:
        pieces = _render_pieces(request, episode, version, signed_in=signed_in)
        keep_piece(key, pieces, settings.KEPT_PAGE_SECONDS)
    return pieces


def episode_lanes(
    episode: Episode, pieces: EpisodePieces, note_seconds: Iterable[int | None]
) -> DrawnLanes:
    """The timeline's lanes for notes at these moments: kept per duration, which notes may
    lengthen."""
    duration = episode_duration(episode, pieces.last_second, note_seconds)
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
    return EpisodePieces(
        version=version,
        article_count=len(outlines),
        articles=ArticleParts.cut(_articles_html(episode, outlines, signed_in=signed_in)),
        toc=mark_safe(render_to_string(f"{PAGE}#toc", {"outlines": outlines})),
        structured_data=episode_structured_data({"request": request}, episode, outlines),
        last_second=last_second,
        lanes=draw_lanes(outlines, episode_duration(episode, last_second, [])),
        related_episodes=related_episodes(episode),
    )


def _articles_html(episode: Episode, outlines: list[ArticleOutline], *, signed_in: bool) -> str:
    """The episode's articles, one after another, without their template's indentation."""
    # Reversed once: a long page has thousands of claims, each with its own address.
    timestamps_before, timestamps_after = reverse("episodes:claim_timestamps", args=[0]).split(
        "/0/"
    )
    values = {
        "signed_in": signed_in,
        "new_note_url": reverse("annotations:new", args=[episode.video_id]),
        "timestamps_before": timestamps_before,
        "timestamps_after": timestamps_after,
        "episode_path": episode.get_absolute_url(),
    }
    article = get_template(f"{PAGE}#article")
    return unindented("".join(article.render({**values, "outline": o}) for o in outlines))


FullNotes = Callable[[list[int]], dict[int, Annotation]]


def page_token(request: HttpRequest) -> str:
    """This request's CSRF token, masked once: every form the page puts in carries the same
    (each `get_token()` masks it anew, with 32 random letters)."""
    token = getattr(request, "_page_csrf_token", None)
    if token is None:
        token = request._page_csrf_token = get_token(request)
    return token


def full_notes_loader(
    request: HttpRequest, episode: Episode, written: Annotation | None = None
) -> FullNotes:
    """A loader of the notes of given ids that the reader may see, whole, for the notes whose
    HTML is not kept yet: one query (and one for their tags) for the notes not loaded before.
    Through the episode's manager, each note is given this episode rather than a copy of it.

    `written`, a note this request has just written on the episode (not a reply), is taken
    as it stands, with its tags: it has no replies yet.
    """
    loaded: dict[int, Annotation] = {}
    if written is not None and written.parent_id is None:
        written.reply_count, written.parent_open = 0, False
        tags = getattr(written, "tags_written", None)  # as `annotation_create` wrote them
        if tags is None:
            tags = tag_names_of([written.pk])[written.pk]
        written._tag_names = list(tags)
        loaded[written.pk] = written

    def load(ids: list[int]) -> dict[int, Annotation]:
        wanted = [pk for pk in ids if pk not in loaded]
        if wanted:
            notes = (
                episode.annotations.visible_to(request.user)
                .with_threads(request.user)
                .select_related("author")
                .filter(pk__in=wanted)
            )
            loaded.update((note.pk, note) for note in notes)
        return {pk: loaded[pk] for pk in ids if pk in loaded}

    return load


@dataclass(frozen=True, slots=True)
class ReaderEpisode:
    """What a reader's view of an episode is composed from, read once per request: the rows
    of the notes the reader may see (on the episode, or on one claim: `read_written`), the
    content's pieces, and the timeline's lanes for every note the reader may see (an answer
    to a note's change reads it after the change)."""

    rows: list[NoteRow]
    pieces: EpisodePieces
    lanes: DrawnLanes


def read_episode(request: HttpRequest, episode: Episode) -> ReaderEpisode:
    rows = episode_note_rows(episode.pk, request.user)
    pieces = episode_pieces(request, episode)
    return ReaderEpisode(rows, pieces, episode_lanes(episode, pieces, (r.seconds for r in rows)))


@dataclass(frozen=True, slots=True)
class WrittenNote:
    """What the answer to a note just written on a claim is composed from (`read_written`)."""

    read: ReaderEpisode  # its rows those of the note's claim alone
    # Whether the reader's timeline keeps its shape with the note's mark added: its length
    # and its notes' row the same as before the note was written. Only its mark is new then.
    shape_kept: bool
    shows_timeline: bool  # whether the page has a timeline (claims' ticks or notes' marks)


def read_written(request: HttpRequest, episode: Episode, written: Annotation) -> WrittenNote:
    """The reader's notes on the claim of `written`, a note they have just written there,
    with the lanes of their timeline now: fewer rows than the episode's, and enough to tell
    whether the timeline changed shape (`WrittenNote.shape_kept`)."""
    rows = claim_note_rows(episode.pk, written.claim_id, request.user)
    before = timed_notes_besides(episode.pk, request.user, written.pk)
    pieces = episode_pieces(request, episode)
    lanes = episode_lanes(episode, pieces, (before.last_second, written.seconds))
    length_before = episode_duration(episode, pieces.last_second, (before.last_second,))
    had_marks = before.count > 0
    return WrittenNote(
        read=ReaderEpisode(rows, pieces, lanes),
        shape_kept=length_before == lanes.duration and (had_marks or written.seconds is None),
        shows_timeline=had_marks or lanes.has_ticks,
    )


def written_mark(written: WrittenNote, note: Annotation, answer: ClaimNotes) -> str | None:
    """The timeline's mark of `note`, just written (`read_written`), when the drawing keeps its
    shape: as its claim's list (`answer`) was made with it; "" for a note without a moment.
    None when the whole timeline has to come instead (its shape changed, or the list no
    longer shows the note: deleted since)."""
    if not written.shape_kept:
        return None
    if note.seconds is None:
        return ""
    return answer.marks.get(note.pk)


def reader_timeline(request: HttpRequest, episode: Episode, read: ReaderEpisode) -> Timeline:
    """The episode's timeline with the marks of the notes the reader may see."""
    # The marks alone: the claims' lists, which the timeline does not show, are not composed.
    loader = full_notes_loader(request, episode)
    kept = _notes_pieces(request, read.rows, read.pieces.version, read.lanes, loader)
    return build_timeline(episode, read.lanes, read.rows, request.user.pk, _marks(kept, read.rows))


def timeline_brought_along(episode: Episode, timeline: Timeline) -> str:
    """The reader's timeline without its lanes, as an answer brings it out of band
    (`_timeline.html` with `out_of_band`). Its frame (the axis, the playhead, the notes' row)
    is the same for every timeline of the same shape but for the marks, which are kept
    pieces already: so it is kept, cut where the marks go, under everything else it shows."""
    timeline = timeline.without_lanes()
    shape = (episode.video_id, timeline.shape)  # its address, and the drawing's shape
    key = f"timeline-frame:{hashlib.sha256(repr(shape).encode()).hexdigest()}"
    frame = cache.get(key)
    if frame is None:
        stand_in = f"<!--marks-{secrets.token_hex(16)}-->"
        marks = mark_safe(stand_in) if timeline.notes else timeline.notes
        values = {"episode": episode, "timeline": replace(timeline, notes=marks)}
        html = render_to_string("episodes/_timeline.html", {**values, "out_of_band": True})
        frame = tuple(html.strip().split(stand_in))
        if len(frame) != (2 if timeline.notes else 1):
            raise RuntimeError("The timeline template no longer draws the marks it is given.")
        cache.set(key, frame, settings.KEPT_PAGE_SECONDS)
    return timeline.notes.join(frame)


def note_now_form(request: HttpRequest, episode: Episode) -> SafeString:
    """The form under the player for a note at this moment: the same for every signed-in
    reader of the episode but for its CSRF token, so kept with a stand-in for it."""
    key = f"note-now-form:{episode.pk}:{episode.video_id}"
    pieces = cache.get(key)
    if pieces is None:
        stand_in = f"csrf-{secrets.token_hex(16)}"
        values = {
            "form": NewAnnotationForm(episode=episode, auto_id="note-now-%s", autofocus=False),
            "at_a_moment": True,
            "claim": None,
            "episode": episode,
            "csrf_token": stand_in,
        }
        html = render_to_string("annotations/_annotations.html#annotation-form", values, request)
        pieces = tuple(html.split(stand_in))
        cache.set(key, pieces, settings.KEPT_PAGE_SECONDS)
    return mark_safe(page_token(request).join(pieces))


@dataclass(frozen=True, slots=True)
class ClaimNotes:
    """A claim's notes list as a change's answer brings it, and the marks of the notes it
    shows, drawn for the lanes it was made with ("" for a note without a moment)."""

    html: bytes
    marks: dict[int, str]


def claim_notes_answer(
    request: HttpRequest,
    episode: Episode,
    claim_id: int,
    read: ReaderEpisode,
    written: Annotation | None = None,
) -> ClaimNotes:
    """A claim's notes list as the episode page shows it to this reader, from kept items: the
    answer to a change of one of its notes (as `_annotations.html#claim-notes` writes it);
    `written`, the note just written, if that was the change."""
    rows = [row for row in read.rows if row.claim_id == claim_id]
    shown = shown_under_claims(rows, reader_id=request.user.pk, per_claim=settings.NOTES_PER_CLAIM)
    # Only the few notes the list shows are put together: a note just written is one of them
    # (the reader's own come first). With the timeline's lanes, the marks of the notes loaded
    # now are made and kept too: the timeline that comes with the answer loads none again.
    loader = full_notes_loader(request, episode, written)
    kept = _notes_pieces(request, shown.notes, read.pieces.version, read.lanes, loader)
    items = _joined_items(request, kept, shown.notes)
    lists = _claim_lists(shown.notes, items, shown.count_by_claim)
    html = lists.get(claim_id) or _ListShape.rendered().fill(claim_id, [], 0)
    return ClaimNotes(html, {pk: mark for pk, (_, mark) in kept.items()})


@dataclass(frozen=True, slots=True)
class NotesHtml:
    """The reader's notes as the page shows them, from each note's kept HTML."""

    lists: dict[int, bytes]  # each claim's notes list, by claim id, to put in the articles
    loose: list[_KeptItem]  # the notes on no claim ("Notes at a moment"), in their order
    marks: SafeString  # the notes' marks on the timeline, in the order of the notes


def notes_html(
    request: HttpRequest,
    rows: list[NoteRow],
    version: int,
    lanes: DrawnLanes,
    full_notes: FullNotes,
) -> NotesHtml:
    """The claims' notes lists, the notes on no claim and the timeline's marks of these notes
    (rows, as read for the reader; `lanes`, those the marks are drawn for). Each claim lists
    the few `shown_under_claims` chooses, always from these rows: what is kept under their
    digest is then the same for the page, its timeline and a change's answer.

    The HTML of everyone else's notes is one kept piece, and the reader's own another, each
    under a digest of the rows it was made from: one cache read each, whatever the number of
    notes. When a note changes, its piece is made again from each note's own kept item and
    mark, and only the notes changed since (and no others) are loaded whole and rendered.
    A reader with no note of their own on the page gets the lists and marks as kept, whole,
    under the rows' digest.
    """
    # Someone with no note of their own here sees what everyone else does: kept as it is.
    key = None
    reader_id = request.user.pk
    if all(row.author_id != reader_id for row in rows):
        drawing = (lanes.duration, lanes.height)
        key = f"notes-html:{_digest(version, drawing, settings.NOTES_PER_CLAIM, rows=rows)}"
        if (composed := kept_piece(key)) is not None:
            return composed
    shown = shown_under_claims(rows, reader_id=reader_id, per_claim=settings.NOTES_PER_CLAIM)
    kept = _notes_pieces(request, rows, version, lanes, full_notes)
    items = _joined_items(request, kept, shown.notes)
    composed = NotesHtml(
        lists=_claim_lists(shown.notes, items, shown.count_by_claim),
        loose=[
            _KeptItem(mark_safe(items[row.pk]))
            for row in shown.notes
            if row.claim_id is None and row.pk in items
        ],
        marks=_marks(kept, rows),
    )
    if key is not None:
        keep_piece(key, composed, settings.KEPT_PAGE_SECONDS)
    return composed


def _marks(kept: dict[int, tuple[tuple[str, ...], str]], rows: list[NoteRow]) -> SafeString:
    """The timeline's marks of these notes, in their order, from their kept pieces."""
    return mark_safe("".join(kept[row.pk][1] for row in rows if row.pk in kept))


def _digest(*shown: object, rows: list[NoteRow]) -> str:
    """A digest of what these rows and the values beside them show: everything of each row."""
    # Pickled, as plain tuples: text, numbers and None, so the same rows give the same bytes.
    return hashlib.sha256(pickle.dumps((shown, [tuple(row) for row in rows]), 5)).hexdigest()


def _joined_items(
    request: HttpRequest, kept: dict[int, tuple[tuple[str, ...], str]], shown: list[NoteRow]
) -> dict[int, str]:
    """The shown notes' items, by note id, with this request's CSRF token in their forms."""
    token = None
    items = {}
    for row in shown:
        if row.pk not in kept:  # deleted since its row was read
            continue
        pieces = kept[row.pk][0]
        if len(pieces) > 1 and token is None:
            token = page_token(request)
        items[row.pk] = pieces[0] if len(pieces) == 1 else token.join(pieces)
    return items


def _notes_pieces(
    request: HttpRequest,
    rows: list[NoteRow],
    version: int,
    lanes: DrawnLanes,
    full_notes: FullNotes,
) -> dict[int, tuple[tuple[str, ...], str]]:
    """Each note's item (cut where its forms' CSRF token goes) and its mark ("" for none), by
    note id: the reader's own notes and everyone else's, each kept under a digest of
    everything of their rows and the drawing they show."""
    reader_id = request.user.pk
    drawing = (lanes.duration, lanes.height)
    parts = {}
    for mine in (False, True):
        part = [row for row in rows if (row.author_id == reader_id) == mine]
        if part:
            digest = _digest(version, drawing, reader_id if mine else None, rows=part)
            parts[f"notes-piece:{digest}"] = (mine, part)
    found = kept_pieces(list(parts))
    missing = {key: part for key, part in parts.items() if key not in found}
    if missing:
        fresh = _make_pieces(request, list(missing.values()), version, lanes, full_notes)
        found.update(zip(missing, fresh, strict=True))
        keep_pieces(dict(zip(missing, fresh, strict=True)), settings.KEPT_PAGE_SECONDS)
    return {pk: entry for piece in found.values() for pk, entry in piece.items()}


def _make_pieces(
    request: HttpRequest,
    parts: Iterable[tuple[bool, list[NoteRow]]],
    version: int,
    lanes: DrawnLanes,
    full_notes: FullNotes,
) -> list[dict[int, tuple[tuple[str, ...], str]]]:
    """The pieces of these parts ((mine, rows) each), from each note's own kept item and mark;
    the notes changed since are loaded whole, all in one go, and rendered."""
    reader_id = request.user.pk
    item_keys, mark_keys = {}, {}
    for mine, rows in parts:
        item_keys.update((row.pk, _note_key(row, version, mine=mine)) for row in rows)
        mark_keys.update(
            (row.pk, mark_key(row, lanes, reader_id)) for row in rows if row.seconds is not None
        )
    kept = caches["notes"].get_many([*item_keys.values(), *mark_keys.values()])
    _render_missing(request, kept, item_keys, mark_keys, lanes, full_notes)
    return [
        {
            row.pk: (kept[item_keys[row.pk]], kept.get(mark_keys.get(row.pk), ""))
            for row in rows
            if item_keys[row.pk] in kept
        }
        for _, rows in parts
    ]


def _render_missing(
    request: HttpRequest,
    kept: dict,
    item_keys: dict[int, str],
    mark_keys: dict[int, str],
    lanes: DrawnLanes,
    full_notes: FullNotes,
) -> None:
    """Render (and keep) the items and marks not found in the cache, into `kept`."""
    missing_items = [pk for pk, key in item_keys.items() if key not in kept]
    missing_marks = [pk for pk, key in mark_keys.items() if key not in kept]
    if not missing_items and not missing_marks:
        return
    notes = full_notes(sorted({*missing_items, *missing_marks}))
    fresh = _render_items(
        request, {pk: notes[pk] for pk in missing_items if pk in notes}, item_keys
    )
    reader_id = request.user.pk
    for pk in missing_marks:
        if pk in notes:
            fresh[mark_keys[pk]] = render_mark(notes[pk], lanes, reader_id)
    kept.update(fresh)
    caches["notes"].set_many(fresh, settings.KEPT_PAGE_SECONDS)


def articles_with_notes(pieces: EpisodePieces, lists: dict[int, bytes]) -> list[bytes]:
    """The articles, as UTF-8 parts, with these notes lists (by claim id) in place of empty
    ones: the page joins them once, with the rest of it."""
    return pieces.articles.with_lists(lists)


def _claim_lists(
    listed: list[NoteRow], items: dict[int, str], count_by_claim: dict[int, int]
) -> dict[int, bytes]:
    """Each claim's notes list, as `_annotations.html#claim-notes` writes it, by claim id."""
    by_claim: dict[int, list[str]] = {}
    for row in listed:
        if row.claim_id is not None and row.pk in items:
            by_claim.setdefault(row.claim_id, []).append(items[row.pk])
    if not by_claim:
        return {}
    shape = _ListShape.rendered()
    return {
        claim_id: shape.fill(claim_id, claim_items, count_by_claim[claim_id])
        for claim_id, claim_items in by_claim.items()
    }


@dataclass(frozen=True, slots=True)
class _ListShape:
    """A claim's notes list as the template writes it, with stand-ins for what varies.

    Rendered twice per page (with and without "Show all N notes") instead of once per claim:
    the template stays the one place the list's markup lives, and a claim's list is then only
    its id, its notes' kept items and its count put into the shape.
    """

    short: tuple[str, ...]  # every note shown
    long: tuple[str, ...]  # some left for "Show all N notes"
    empty: tuple[str, ...]  # no note

    CLAIM: ClassVar[int] = 918_273_645
    TOTAL: ClassVar[int] = 987_654_321
    ITEMS: ClassVar[str] = "<!--the-notes-items-->"

    # The shape and the compiled template it came from: made again only when the template is
    # loaded again (in development, after an edit), not on every page.
    _made: ClassVar[tuple[object, _ListShape] | None] = None

    @classmethod
    def rendered(cls) -> _ListShape:
        template = get_template("annotations/_annotations.html#claim-notes")
        if cls._made is not None and cls._made[0] is template.template:
            return cls._made[1]
        stand_ins = re.compile(f"({cls.CLAIM}|{cls.TOTAL}|{re.escape(cls.ITEMS)})")
        shapes = []
        for total in (1, cls.TOTAL):
            html = unindented(
                template.render(
                    {
                        "claim": _ClaimId(cls.CLAIM),
                        "annotations": [_KeptItem(mark_safe(cls.ITEMS))],
                        "notes_total": total,
                    }
                )
            )
            shape = tuple(stand_ins.split(html))
            wanted = {str(cls.CLAIM), cls.ITEMS} | ({str(total)} if total > 1 else set())
            if not wanted <= set(shape):
                raise RuntimeError("The notes list template no longer writes what it is given.")
            shapes.append(shape)
        empty = unindented(
            template.render({"claim": _ClaimId(cls.CLAIM), "annotations": [], "notes_total": 0})
        )
        shape = cls(*shapes, empty=tuple(stand_ins.split(empty)))
        cls._made = (template.template, shape)
        return shape

    def fill(self, claim_id: int, items: list[str], total: int) -> bytes:
        values = {
            str(self.CLAIM): str(claim_id),
            str(self.TOTAL): str(total),
            self.ITEMS: "".join(items),
        }
        shape = self.long if total > len(items) else self.short
        if not items:
            shape = self.empty
        return "".join(values.get(piece, piece) for piece in shape).encode()


def _render_items(
    request: HttpRequest, notes: dict[int, Annotation], keys: dict[int, str]
) -> dict[str, tuple[str, ...]]:
    item = get_template("annotations/_annotations.html#annotation").template
    # One context for every item: its processors (the user, the CSRF token) run once.
    context = RequestContext(request)
    with context.bind_template(item):
        return {keys[pk]: _render_item(context, item, note) for pk, note in notes.items()}


def _render_item(context: RequestContext, item, note: Annotation) -> tuple[str, ...]:
    """The note's item, cut where its forms' CSRF token goes (no cut: it has no form).

    The stand-in is new for every item rendered, so no note's own words can hold it.
    """
    stand_in = f"csrf-{secrets.token_hex(16)}"
    with context.push(annotation=note, csrf_token=stand_in):
        return tuple(unindented(item.render(context)).split(stand_in))


def _note_key(row: NoteRow, version: int, *, mine: bool) -> str:
    shown = f"{row.updated.replace(' ', 'T')}:{row.claim_id}:{row.seconds}:{row.visibility}"
    shown += f":{int(mine)}:{','.join(row.tag_names)}"
    # A reply elsewhere changes the count the note shows, not the note ("updated").
    shown += f":{row.end_seconds}:{row.reply_count}"
    # A reply's note made private or public again changes its link, not the reply.
    shown += f":{row.parent_open}"
    author = hashlib.sha256(row.author_name.encode()).hexdigest()[:12]
    return f"note-item:{row.pk}:{version}:{author}:{shown}"


@dataclass(frozen=True, slots=True)
class _ClaimId:
    """All a claim's notes list reads of its claim."""

    pk: int


@dataclass(frozen=True, slots=True)
class _KeptItem:
    """All a claim's notes list reads of a note whose item is kept."""

    kept_html: SafeString


class Splice:
    """Bytes put into a rendered page where the template wrote a marker for them.

    The page's largest pieces (the articles with their notes, the timeline's lanes) are
    already UTF-8: they are put in after the template renders the rest, rather than passed
    through the template engine and encoded again. A part the template leaves out (no
    timeline to draw) is left out; one it writes twice is an error. The marker is new for
    each page, so no text in it can hold one.
    """

    def __init__(self) -> None:
        self._marker = f"<!--splice-{secrets.token_hex(16)}-"
        self._parts: list[bytes] = []

    def mark(self, part: bytes) -> SafeString:
        self._parts.append(part)
        return mark_safe(f"{self._marker}{len(self._parts) - 1}-->")

    def into(self, html: str) -> bytes:
        pieces = re.split(f"{re.escape(self._marker)}(\\d+)-->", html)
        written = pieces[1::2]
        if len(set(written)) != len(written):
            raise RuntimeError("A spliced part's marker is repeated in the page.")
        return b"".join(
            self._parts[int(piece)] if odd else piece.encode()
            for odd, piece in zip(itertools.cycle((False, True)), pieces)
        )

"""Writing, editing and finding notes.

Every form here works as a plain post that redirects back to the claim; for htmx the views
answer with just the fragment that changed. Each write counts against the writer's and the
address's rates (`settings.RATE_LIMITS["note_write"]`): past them, a form keeps its text and
says how long to wait, with 429. Someone else's private note is "not found":
notes are looked up through `Annotation.objects.visible_to()`, and the services refuse
changes by anyone but the author.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from apps.annotations.forms import (
    EditAnnotationForm,
    NewAnnotationForm,
    NoteFilterForm,
    ReplyForm,
)
from apps.annotations.models import Annotation
from apps.annotations.selectors import shown_under_claims
from apps.annotations.services import (
    annotation_create,
    annotation_delete,
    annotation_update,
    ensure_can_change,
)
from apps.episodes.lookups import claim_in_episode, episode_or_404
from apps.episodes.models import Claim, Episode
from apps.pages.episode_pieces import (
    ClaimNotes,
    ReaderEpisode,
    claim_notes_answer,
    read_episode,
    read_written,
    reader_timeline,
    timeline_brought_along,
    written_mark,
)
from apps.pages.limits import limit_posts, refuse_in_form, with_retry_after
from apps.pages.redirects import safe_next_url
from apps.pages.timeline import DrawnLanes
from apps.reader.timecode import format_timecode, parse_offset

NOTES_PER_PAGE = 50
FRAGMENTS = "annotations/_annotations.html"


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notes, newest first, each linking to its moment; narrowed by
    `?tag=`, `?episode=` (a video id) and `?q=` (words in the note or its claim)."""
    own = Annotation.objects.filter(author=request.user, deleted=False)
    episodes = Episode.objects.filter(pk__in=own.values("episode")).order_by("title", "pk")
    filters = NoteFilterForm(request.GET, episodes=list(episodes))
    annotations = (
        filters.filter(own)
        .select_related("episode", "claim", "author")
        .with_threads(request.user)
        .newest_first()
    )
    page = Paginator(annotations, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "filters": filters, "filter_query": query.urlencode()}
    return render(request, "annotations/mine.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One note on a page of its own, with its replies and a reply form (for htmx: the note
    as the episode page lists it). A note deleted with replies shows as a placeholder above
    them while any of them is to be seen."""
    annotations = _notes_for(request).filter(pk=pk)
    annotation = annotations.first() or _placeholder_or_404(request, pk)
    if request.htmx:
        return render(request, f"{FRAGMENTS}#annotation", {"annotation": annotation})
    return render(request, "annotations/annotation.html", _thread_context(request, annotation))


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply to a public note (one level deep: a reply to a reply joins the thread's note)."""
    annotation = _visible_annotation(request, pk)
    form = ReplyForm(request.POST)
    refusal = refuse_in_form(request, "note_write", form, field="body")
    if refusal is None and form.is_valid():
        try:
            written = annotation_create(
                author=request.user,
                episode=annotation.episode,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"] or Annotation.Visibility.PRIVATE,
                parent=annotation.pk,
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            return redirect(
                f"{reverse('annotations:detail', args=[written.parent_id])}#{written.anchor}"
            )
    context = _thread_context(request, annotation, form=form)
    response = render(request, "annotations/annotation.html", context, status=422)
    return with_retry_after(response, refusal)


def _notes_for(request: HttpRequest):
    return (
        Annotation.objects.visible_to(request.user)
        .select_related("episode", "claim", "author", "parent")
        .with_threads(request.user)
    )


def _placeholder_or_404(request: HttpRequest, pk: int) -> Annotation:
    """A note deleted while it had replies, when the reader may see one of them."""
    replies = Annotation.objects.visible_to(request.user).filter(parent_id=pk)
    placeholder = Annotation.objects.filter(pk=pk, deleted=True).select_related("episode")
    if not replies.exists() or (annotation := placeholder.first()) is None:
        raise Http404("No such note.")
    return annotation


def _thread_context(request: HttpRequest, annotation: Annotation, form=None) -> dict:
    """A note's page: the note, the replies the reader may see, and a reply form."""
    replies = _notes_for(request).filter(parent=annotation).in_page_order()
    can_reply = (
        request.user.is_authenticated
        and annotation.parent_id is None
        and annotation.is_public
        and not annotation.deleted
    )
    if form is None and can_reply:
        form = ReplyForm(auto_id=f"reply-{annotation.pk}-%s")
    return {
        "annotation": annotation,
        "replies": list(replies) if annotation.parent_id is None else [],
        "reply_form": form,  # a refused reply's form shows its errors, whatever the note
    }


@require_GET
def claim_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Every note on a claim that the reader may see, a page at a time: what "Show all" opens.

    For htmx, the first page replaces the few the episode page lists under the claim, and each
    later one the "Show more" item at the end of the list.
    """
    claim = get_object_or_404(Claim.objects.select_related("article__episode"), pk=pk)
    page = Paginator(_claim_annotations(request, claim), NOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"claim": claim, "episode": claim.article.episode, "page": page}
    template_name = "annotations/claim_notes.html"
    if request.htmx:
        template_name += "#notes-page" if page.number > 1 else "#all-notes"
    return render(request, template_name, context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, video_id: str) -> HttpResponse:
    """Write a note on a claim (`claim`) or at a moment (`at`: the player's time, or typed)."""
    episode = episode_or_404(video_id)
    refusal = None
    if request.method == "POST":
        at_a_moment = "at" in request.POST
        form = _new_form(request.POST, episode=episode, at_a_moment=at_a_moment)
        refusal = refuse_in_form(request, "note_write", form, field="body")
        claim = None
        if refusal is None and form.is_valid():
            claim = form.cleaned_data["claim"]
            try:
                annotation = annotation_create(
                    author=request.user,
                    episode=episode,
                    claim=claim,
                    seconds=form.cleaned_data["at"],
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"] or Annotation.Visibility.PRIVATE,
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                return saved_note_answer(request, annotation)
        claim = claim or _claim_or_none(episode, request.POST.get("claim"))
    else:
        at_a_moment = "claim" not in request.GET
        claim = None if at_a_moment else _claim_or_404(episode, request.GET["claim"])
        seconds = parse_offset(request.GET.get("t", ""))
        initial = {"claim": claim.pk if claim else None}
        if seconds is not None:
            initial["at"] = format_timecode(seconds)
        form = _new_form(None, episode=episode, at_a_moment=at_a_moment, initial=initial)

    context = {"episode": episode, "claim": claim, "form": form, "at_a_moment": at_a_moment}
    if request.htmx and request.method == "GET" and claim is not None:
        context.update(_claim_notes_shown(request, claim))
        return render(request, f"{FRAGMENTS}#claim-notes", context)
    template_name = "annotations/annotation_form.html"
    if request.htmx:
        template_name = f"{FRAGMENTS}#annotation-form"
    return with_retry_after(render(request, template_name, context), refusal)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a note's text, who can read it, its time or range, or its tags."""
    annotation = _visible_annotation(request, pk)
    ensure_can_change(annotation=annotation, actor=request.user)
    form = EditAnnotationForm(
        request.POST if request.method == "POST" else None,
        annotation=annotation,
        auto_id=f"note-{annotation.pk}-%s",
    )
    refusal = None
    if request.method == "POST":
        refusal = refuse_in_form(request, "note_write", form, field="body")
    if refusal is None and request.method == "POST" and form.is_valid():
        was = _Place.of(annotation)
        try:
            annotation_update(annotation=annotation, actor=request.user, **form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if request.htmx:
                return _edited(request, annotation, was)
            return redirect(_back(request, annotation))
    context = {"annotation": annotation, "episode": annotation.episode, "form": form}
    context["next"] = safe_next_url(request)
    template_name = "annotations/annotation_form.html"
    if request.htmx:
        template_name = f"{FRAGMENTS}#annotation-edit"
    return with_retry_after(render(request, template_name, context), refusal)


@login_required
@limit_posts("note_write")
@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a note public or private again (the one-press control beside each note)."""
    annotation = _visible_annotation(request, pk)
    try:
        annotation_update(
            annotation=annotation, actor=request.user, visibility=request.POST.get("visibility")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if request.htmx:
        return render(request, f"{FRAGMENTS}#annotation", {"annotation": annotation})
    return redirect(_back(request, annotation))


@login_required
@limit_posts("note_write")
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a note for good."""
    annotation = _visible_annotation(request, pk)
    back = _back(request, annotation)
    episode, claim = annotation.episode, annotation.claim
    anchor = annotation.anchor
    annotation_delete(annotation=annotation, actor=request.user)
    if request.htmx:
        # The note (and the focus with it) is gone: the page moves focus to a neighbour.
        detail = {"claim": claim.pk if claim else None}
        if request.htmx.target == anchor:
            # A list of notes (/notes/) removes the note itself: nothing to send back.
            response = HttpResponse("")
        else:
            read = read_episode(request, episode)
            response = _notes_of(request, episode, claim, read)
            _with_timeline(request, response, episode, read)
        return trigger_client_event(response, "seeknotes:note-deleted", detail, after="settle")
    return redirect(back)


def _visible_annotation(request: HttpRequest, pk: int) -> Annotation:
    return get_object_or_404(_notes_for(request), pk=pk)


def _new_form(data, *, episode: Episode, at_a_moment: bool, initial=None) -> NewAnnotationForm:
    prefix = "note-now" if at_a_moment else f"note-c{(initial or data or {}).get('claim')}"
    return NewAnnotationForm(data, episode=episode, initial=initial, auto_id=f"{prefix}-%s")


def _claim_or_none(episode: Episode, claim_id: str | None) -> Claim | None:
    # ASCII digits only: "²" passes str.isdigit() but not int().
    if not claim_id or not (claim_id.isascii() and claim_id.isdigit()):
        return None
    return claim_in_episode(int(claim_id), episode.pk)


def _claim_or_404(episode: Episode, claim_id: str) -> Claim:
    claim = _claim_or_none(episode, claim_id)
    if claim is None:
        raise Http404("No such claim in this episode.")
    return claim


def _claim_annotations(request: HttpRequest, claim: Claim):
    return (
        Annotation.objects.visible_to(request.user)
        .filter(claim=claim)
        .select_related("author", "episode")
        .with_threads(request.user)
        .in_page_order()
    )


def _claim_notes_shown(request: HttpRequest, claim: Claim) -> dict:
    """The claim's notes as the episode page lists them: a few, and how many in all."""
    shown = shown_under_claims(
        _claim_annotations(request, claim),
        reader_id=request.user.pk,
        per_claim=settings.NOTES_PER_CLAIM,
    )
    return {"annotations": shown.notes, "notes_total": shown.count_by_claim.get(claim.pk, 0)}


def _notes_of(
    request: HttpRequest, episode: Episode, claim: Claim | None, read: ReaderEpisode
) -> HttpResponse:
    """The notes list a change touched: its claim's, or the episode's loose notes (`read`
    after the change)."""
    if claim is not None:
        return _claim_list_response(claim.pk, claim_notes_answer(request, episode, claim.pk, read))
    loose = (
        Annotation.objects.visible_to(request.user)
        .filter(episode=episode, claim__isnull=True)
        .select_related("author", "episode")
        .with_threads(request.user)
        .in_page_order()
    )
    context = {"episode": episode, "annotations": loose}
    response = render(request, f"{FRAGMENTS}#loose-notes", context)
    return reswap(retarget(response, "#loose-notes"), "outerHTML")


def _claim_list_response(claim_id: int, answer: ClaimNotes) -> HttpResponse:
    """A claim's notes list, answered in place of the page's own."""
    response = HttpResponse(answer.html)
    return reswap(retarget(response, f'[data-annotations-for="{claim_id}"]'), "outerHTML")


class _Place(NamedTuple):
    """Where a note is drawn: under which claim (or loose), at which moment, to which end."""

    claim: Claim | None
    claim_id: int | None
    seconds: int | None
    end_seconds: int | None

    @classmethod
    def of(cls, annotation: Annotation) -> _Place:
        claim = annotation.claim
        return cls(claim, annotation.claim_id, annotation.seconds, annotation.end_seconds)


def _edited(request: HttpRequest, annotation: Annotation, was: _Place) -> HttpResponse:
    """A note edited in place. When its time changed on the episode page, it moves: the list it
    joined is answered, the one it left comes along out of band, and the page draws the
    timeline again; elsewhere (and when only its words changed) it is answered where it was."""
    moved = _Place.of(annotation)[1:] != was[1:]
    if not (moved and _on_episode_page(request, annotation.episode)):
        return render(request, f"{FRAGMENTS}#annotation", {"annotation": annotation})
    read = read_episode(request, annotation.episode)
    response = _notes_of(request, annotation.episode, annotation.claim, read)
    if was.claim_id != annotation.claim_id:
        left = _notes_of(request, annotation.episode, was.claim, read).content.decode()
        # The list's own root swaps itself into place: its claim's list, or #loose-notes.
        target = f"[data-annotations-for='{was.claim_id}']" if was.claim_id else "#loose-notes"
        left = left.replace(">", f' hx-swap-oob="outerHTML:{target}">', 1)
        response.content += left.encode()
    _with_timeline(request, response, annotation.episode, read)
    return trigger_client_event(
        response, "seeknotes:note-saved", {"id": annotation.pk}, after="settle"
    )


def saved_note_answer(request: HttpRequest, annotation: Annotation) -> HttpResponse:
    """The answer to a note just written: its claim's notes (htmx, with the note-saved
    event the page's timeline listens for, and the timeline), else a redirect to its place.

    A note on a claim is answered from that claim's notes alone; on the episode page, when
    the timeline keeps its shape, only the note's mark comes along (`_with_new_mark`)."""
    if not request.htmx:
        return redirect(annotation.place_url)
    episode = annotation.episode
    if annotation.claim_id is None:
        read = read_episode(request, episode)
        response = _notes_of(request, episode, None, read)
        _with_timeline(request, response, episode, read)
    else:
        written = read_written(request, episode, annotation)
        answer = claim_notes_answer(request, episode, annotation.claim_id, written.read, annotation)
        response = _claim_list_response(annotation.claim_id, answer)
        if _on_episode_page(request, episode):
            mark = written_mark(written, annotation, answer)
            if mark is None:  # the drawing changes shape: all of it comes
                _with_timeline(request, response, episode, read_episode(request, episode))
            elif written.shows_timeline:
                _with_new_mark(response, written.read.lanes, mark)
    return trigger_client_event(
        response, "seeknotes:note-saved", {"id": annotation.pk}, after="settle"
    )


def _with_new_mark(response: HttpResponse, lanes: DrawnLanes, mark: str) -> None:
    """Bring the timeline's new mark alone along (`_timeline.html#marks-added`), drawn for
    these lanes, for the page to put in its own drawing (static/js/timeline.js)."""
    values = {"lanes": lanes, "marks": mark_safe(mark)}
    drawn = render_to_string("episodes/_timeline.html#marks-added", values)
    response.content += f"<template>{drawn}</template>".encode()


def _on_episode_page(request: HttpRequest, episode: Episode) -> bool:
    """Whether this htmx request comes from the episode's own page."""
    return urlsplit(request.htmx.current_url or "").path == episode.get_absolute_url()


def _with_timeline(
    request: HttpRequest, response: HttpResponse, episode: Episode, read: ReaderEpisode
) -> None:
    """On the episode page, an answer that changed the reader's notes brings their timeline
    along, out of band and without its lanes, which the page keeps (static/js/episode.js):
    the page need not ask for it again."""
    if not _on_episode_page(request, episode):
        return
    timeline = reader_timeline(request, episode, read)
    if not timeline.has_marks:  # nothing to draw, as on the page
        return
    drawn = timeline_brought_along(episode, timeline)
    # In a template, for htmx to find and swap it whatever the answer's own element is.
    response.content += f"<template>{drawn}</template>".encode()


def _back(request: HttpRequest, annotation: Annotation) -> str:
    """Where a plain form post returns: `next` when it is ours, else the note's claim."""
    return safe_next_url(request) or annotation.place_url

"""Correcting the notes' timestamps: a claim's times with their history, and the review page.

Every form is a plain post that redirects back (to the episode page, the claim's page or the
review page, as `next` says) with a message; the rules live in `apps.episodes.corrections`.
On the episode page, htmx brings a claim's form in under the claim, where the player's
"Set to now" can fill in the time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.episodes.corrections import (
    can_correct,
    correction_apply,
    correction_make,
    correction_propose,
    correction_revert,
)
from apps.episodes.models import Claim, Episode, Timestamp, TimestampCorrection
from apps.episodes.review import timestamps_to_review
from apps.pages.limits import limit_posts
from apps.pages.redirects import safe_next_url
from apps.reader.timecode import format_timecode, parse_offset

PAGE = "episodes/corrections.html"
FINDINGS_PER_PAGE = 100


@dataclass(slots=True)
class TimestampHistory:
    timestamp: Timestamp
    corrections: list[TimestampCorrection] = field(default_factory=list)

    @property
    def in_force(self) -> TimestampCorrection | None:
        applied = [c for c in self.corrections if c.status == TimestampCorrection.Status.APPLIED]
        return max(applied, key=lambda c: (c.applied, c.pk), default=None)


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article__episode"), pk=pk)


def _histories(claim: Claim) -> list[TimestampHistory]:
    histories = {t.position: TimestampHistory(t) for t in claim.timestamps.order_by("position")}
    corrections = (
        TimestampCorrection.objects.filter(article_id=claim.article_id, claim_key=claim.key)
        .select_related("proposed_by", "applied_by", "reverted_by")
        .newest_first()
    )
    for correction in corrections:
        if correction.position in histories:
            histories[correction.position].corrections.append(correction)
    return list(histories.values())


@require_http_methods(["GET", "POST"])
def claim_timestamps(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim's timestamps, each with its corrections; the form to propose (or make) one."""
    if request.method == "POST":
        return _propose(request, pk)
    claim = _claim(pk)
    context = {
        "claim": claim,
        "episode": claim.article.episode,
        "histories": _histories(claim),
        "can_correct": can_correct(request.user),
        "next": safe_next_url(request),
    }
    template_name = PAGE
    if request.htmx:
        template_name += "#propose"
    return render(request, template_name, context)


@login_required
@limit_posts("correction_write")
def _propose(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    back = safe_next_url(request) or reverse("episodes:claim_timestamps", args=[claim.pk])
    timestamp = (
        Timestamp.objects.select_related("claim", "episode")
        .filter(claim=claim, pk=_number(request.POST.get("timestamp")))
        .first()
    )
    seconds = parse_offset(request.POST.get("at", ""))
    if timestamp is None or seconds is None:
        messages.error(request, "Choose a timestamp and type a time such as 12:34 or 1:02:03.")
        return redirect(back)
    values = {
        "timestamp": timestamp,
        "seconds": seconds,
        "reason": request.POST.get("reason", "")[:500],
    }
    try:
        if request.POST.get("apply") and can_correct(request.user):
            correction_make(corrector=request.user, **values)
            done = f"Corrected to {format_timecode(seconds)}."
        else:
            correction_propose(proposer=request.user, **values)
            done = f"Proposed {format_timecode(seconds)}; it shows once someone applies it."
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


@login_required
@require_POST
@limit_posts("correction_write")
def correction_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Apply a proposal, or revert the correction in force (people allowed to correct)."""
    if not can_correct(request.user):
        raise PermissionDenied("Only people allowed to correct timestamps can do this.")
    correction = get_object_or_404(TimestampCorrection, pk=pk)
    decide = correction_apply if action == "apply" else correction_revert
    try:
        correction = decide(correction=correction, corrector=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        seconds = correction.seconds_to if action == "apply" else correction.seconds_from
        messages.success(
            request,
            f"{'Applied' if action == 'apply' else 'Reverted'}: the timestamp reads "
            f"{format_timecode(seconds)}.",
        )
    return redirect(safe_next_url(request) or reverse("episodes:review_timestamps"))


@login_required
@require_GET
def review_timestamps(request: HttpRequest) -> HttpResponse:
    """Timestamps past their episode's end or running backwards, for those who correct them."""
    if not can_correct(request.user):
        raise Http404("No such page.")
    episode = None
    episodes = None
    if video_id := request.GET.get("episode"):
        if "\x00" in video_id:  # no episode has one, and PostgreSQL cannot compare it
            raise Http404("No such episode.")
        episode = get_object_or_404(Episode, video_id=video_id)
        episodes = Episode.objects.filter(pk=episode.pk)
    page = Paginator(timestamps_to_review(episodes), FINDINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    _fill_in(page.object_list)
    return render(request, "episodes/review_timestamps.html", {"page": page, "episode": episode})


def _fill_in(findings: list) -> None:
    """Give the page's findings their claims and episodes, in two queries."""
    claims = Claim.objects.only("id", "text", "label").in_bulk(f.claim_id for f in findings)
    episodes = Episode.objects.only("id", "video_id", "title").in_bulk(
        f.episode_id for f in findings
    )
    for finding in findings:
        finding.claim = claims[finding.claim_id]
        finding.episode = episodes[finding.episode_id]

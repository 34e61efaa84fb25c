"""Mark the moment: one press (the `m` key, or the button beside the player) saves a private
bookmark at the player's time, on the claim spoken then, with nothing to fill in. It is written
up later through its Edit form.

Without JavaScript the button is a plain form that posts the moment the page was opened at
(`?t=`, else the start) and comes back to the bookmark; with htmx the claim's notes list is
answered, as for any saved note, and the page draws the timeline again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from apps.annotations.services import mark_moment
from apps.episodes.lookups import episode_or_404
from apps.pages.limits import limit_posts
from apps.pages.views.notes import saved_note_answer
from apps.reader.timecode import parse_offset


@login_required
@limit_posts("note_write")
@require_POST
def mark(request: HttpRequest, video_id: str) -> HttpResponse:
    """Save a bookmark at `seconds` (the player's time) into the episode."""
    episode = episode_or_404(video_id)
    seconds = parse_offset(request.POST.get("seconds", ""))
    try:
        annotation = mark_moment(request.user, episode, seconds)
    except ValidationError as error:
        reason = " ".join(error.messages)
        if request.htmx:
            return HttpResponse(reason, status=422, content_type="text/plain; charset=utf-8")
        messages.error(request, f"Nothing was marked: {reason}")
        return redirect(episode.get_absolute_url())
    if request.htmx:
        return saved_note_answer(request, annotation)
    # Back at the same moment, the new bookmark in view.
    return redirect(annotation.moment_url)

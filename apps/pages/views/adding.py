"""Bringing content: an episode by its YouTube address, documents uploaded for import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from apps.episodes.adding import MAX_TITLE_LENGTH, add_episode
from apps.ingest.models import WebImport
from apps.ingest.uploads import Uploaded, UploadRefused, megabytes
from apps.ingest.web_imports import may_import, start_web_import
from apps.pages.limits import refuse_in_form, with_retry_after

# What multipart/form-data adds around the files themselves (boundaries, headers, the token).
MULTIPART_ALLOWANCE = 1024 * 1024


class EpisodeAddForm(forms.Form):
    url = forms.CharField(
        label="YouTube address or video id",
        max_length=2000,
        widget=forms.TextInput(
            attrs={"placeholder": "https://www.youtube.com/watch?v=…", "autofocus": True}
        ),
        help_text="Any link to the video (share, shorts, embed, live…) or its 11-character id.",
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=MAX_TITLE_LENGTH,
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_new(request: HttpRequest) -> HttpResponse:
    """Add an episode to watch and annotate, even one no document describes; an episode
    that exists already is simply opened."""
    form = EpisodeAddForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        refusal = refuse_in_form(request, "episode_add", form)
        if refusal is None:
            try:
                episode, _ = add_episode(
                    form.cleaned_data["url"], form.cleaned_data["title"], request.user
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                return redirect(episode.get_absolute_url())
    status = 400 if form.errors else 200
    response = render(request, "episodes/episode_new.html", {"form": form}, status=status)
    return with_retry_after(response, refusal)


@login_required
@require_http_methods(["GET", "POST"])
@csrf_exempt  # only until the size is known: `_import_upload` checks CSRF, reading the body
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload documents for the import; the import's page follows it.

    An upload over the limit is refused from its Content-Length, before anything reads it
    (the CSRF check would otherwise read it all first, to find its token).
    """
    if not may_import(request.user):
        raise PermissionDenied("Importing documents takes the 'import documents' permission.")
    limit = settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES
    if request.method == "POST" and _content_length(request) > limit + MULTIPART_ALLOWANCE:
        refusal = f"Nothing was imported. The upload is over {megabytes(limit)}."
        response = _import_form(request, refusal)
        response.status_code = 413
        return response
    return _import_upload(request)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        form = forms.Form(request.POST)  # only to carry a rate-limit refusal
        refusal = refuse_in_form(request, "web_import", form)
        if refusal is not None:
            return with_retry_after(_import_form(request, refusal.message), refusal)
        files = request.FILES.getlist("files")
        uploads = [Uploaded(upload.name, upload.size, upload) for upload in files]
        try:
            web_import = start_web_import(request.user, uploads)
        except UploadRefused as refused:
            error = f"Nothing was imported. {refused}"
        else:
            return redirect("imports:detail", web_import.pk)
    return _import_form(request, error)


def _import_form(request: HttpRequest, error: str) -> HttpResponse:
    return render(
        request,
        "imports/import_new.html",
        {
            "error": error,
            "imports": WebImport.objects.filter(owner=request.user)[:10],
            "max_upload": megabytes(settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES),
            "max_files": settings.SEEKNOTES_IMPORT_MAX_FILES,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress, then its report; htmx asks for the progress part again until
    the import ends, and without JavaScript the page refreshes itself by its own link."""
    web_import = get_object_or_404(WebImport.objects.defer("upload"), pk=pk, owner=request.user)
    template = "imports/import_detail.html"
    if request.htmx:
        template += "#import-state"
    return render(request, template, {"web_import": web_import})

"""The note forms. They only read the request; the rules (length, who may) live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from apps.annotations.models import MAX_TAG_LENGTH, MAX_TAGS, Annotation, AnnotationQuerySet
from apps.annotations.services import body_tags
from apps.episodes.lookups import claim_in_episode
from apps.episodes.models import Claim, Episode
from apps.reader.timecode import format_timecode, parse_offset


class AnnotationForm(forms.Form):
    # The services' names for what this form calls otherwise, so their errors land there.
    service_fields: dict[str, str] = {}

    # Not required and no max_length here: services.annotation_create/update say what a
    # body may be, for the pages and the API alike, and their errors land on this field.
    body = forms.CharField(
        label="Note",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Markdown welcome"}),
    )
    visibility = forms.ChoiceField(
        label="Who can read it",
        required=False,  # left out, a note is private
        choices=Annotation.Visibility.choices,
        initial=Annotation.Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, autofocus: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if autofocus:
            # Opened on purpose (or shown again with an error): the cursor goes to the text.
            self.fields["body"].widget.attrs["autofocus"] = True

    def add_service_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names, the rest on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            field = self.service_fields.get(field, field)
            self.add_error(field if field in self.fields else None, errors)


class NewAnnotationForm(AnnotationForm):
    """A note on a claim (`claim`), or at a moment (`at`, as people write times)."""

    service_fields = {"seconds": "at"}

    claim = forms.IntegerField(required=False, widget=forms.HiddenInput)
    at = forms.CharField(
        label="At",
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "1:02:03"}
        ),
    )

    def __init__(self, *args, episode: Episode, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_claim(self) -> Claim | None:
        claim_id = self.cleaned_data.get("claim")
        if claim_id is None:
            return None
        claim = claim_in_episode(claim_id, self.episode.pk)
        if claim is None:
            raise ValidationError("That claim is not in this episode (any more).")
        return claim

    def clean_at(self) -> int | None:
        value = self.cleaned_data.get("at", "").strip()
        if not value:
            return None
        seconds = parse_offset(value)
        if seconds is None:
            raise ValidationError(f"Write a time such as {format_timecode(3723)} or 1h2m3s.")
        return seconds

    def clean(self) -> dict:
        cleaned = super().clean()
        if "claim" in cleaned and "at" in cleaned and cleaned["claim"] is cleaned["at"] is None:
            self.add_error("at", "Say when: a time such as 12:34.")
        return cleaned


def _time_field(label: str, hook: str) -> forms.CharField:
    # `data-note-time` lets the page's "set to now" find the field (start or end).
    attrs = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "12:34"}
    return forms.CharField(
        label=label,
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**attrs, "data-note-time": hook}),
    )


def _clean_time(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    seconds = parse_offset(value)
    if seconds is None:
        raise ValidationError(f"Write a time such as {format_timecode(754)} or 12m34s.")
    return seconds


class EditAnnotationForm(AnnotationForm):
    """A note's text, who reads it, its time (and the end of its range) and its tags.

    `seconds` left empty keeps the note's time; `end_seconds` left empty makes it a moment.
    Its tags field holds the tags given beside the body's `#words`, which are tags anyway.
    """

    seconds = _time_field("At", "start")
    end_seconds = _time_field("Until", "end")
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text=f"Words such as physics to-read, at most {MAX_TAGS}; #words in the note too.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "physics to-read"}),
    )

    def __init__(self, *args, annotation: Annotation, **kwargs) -> None:
        given_tags = [
            name for name in annotation.tag_names if name not in body_tags(annotation.body)
        ]
        kwargs.setdefault("initial", {}).update(
            body=annotation.body,
            visibility=annotation.visibility,
            seconds=format_timecode(annotation.seconds) if annotation.seconds is not None else "",
            end_seconds=(
                format_timecode(annotation.end_seconds)
                if annotation.end_seconds is not None
                else ""
            ),
            tags=" ".join(given_tags),
        )
        super().__init__(*args, **kwargs)
        self.annotation = annotation
        if annotation.is_bookmark:
            self.fields["body"].widget.attrs["placeholder"] = "Write up this moment (Markdown)"

    def clean_seconds(self) -> int | None:
        return _clean_time(self.cleaned_data.get("seconds"))

    def clean_end_seconds(self) -> int | None:
        return _clean_time(self.cleaned_data.get("end_seconds"))

    def changes(self) -> dict:
        """The keyword arguments of `annotation_update` this form asks for."""
        data = self.cleaned_data
        body = data["body"]
        if not body.strip() and self.annotation.is_bookmark:
            body = None  # a bookmark may be moved or tagged before it is written up
        end = data["end_seconds"]
        if end is None and self.annotation.end_seconds is not None:
            end = 0  # emptied: the range is a moment again
        return {
            "body": body,
            "visibility": data["visibility"] or self.annotation.visibility,
            "seconds": data["seconds"],
            "end_seconds": end,
            "tags": data["tags"].replace(",", " ").split(),
        }


class ReplyForm(AnnotationForm):
    """A reply under a public note: its text and who reads it (private unless said)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("autofocus", False)
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Reply"
        self.fields["body"].widget.attrs["placeholder"] = "Your reply (Markdown welcome)"


class NoteFilterForm(forms.Form):
    """The filters of one's notes list (/notes/): a plain GET form, each field optional."""

    q = forms.CharField(label="Words", required=False, max_length=200)
    tag = forms.CharField(label="Tag", required=False, max_length=MAX_TAG_LENGTH + 1)
    episode = forms.ChoiceField(label="Episode", required=False)

    def __init__(self, *args, episodes: list[Episode], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(episode.video_id, episode.display_title) for episode in episodes]
        self.fields["episode"].choices = [("", "All episodes"), *choices]

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().removeprefix("#").lower()

    def filter(self, notes: AnnotationQuerySet) -> AnnotationQuerySet:
        """`notes` narrowed to what the form asks (nothing narrowed when it is invalid)."""
        if not self.is_valid():
            return notes
        data = self.cleaned_data
        if data["tag"]:
            notes = notes.filter(tags__name=data["tag"])
        if data["episode"]:
            notes = notes.filter(episode__video_id=data["episode"])
        for word in data["q"].split():
            notes = notes.filter(Q(body__icontains=word) | Q(quote__icontains=word))
        return notes

    @property
    def narrowed(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

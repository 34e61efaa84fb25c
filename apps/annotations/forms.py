"""The note forms. They only read the request; the rules (length, who may) live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from apps.annotations.models import Annotation
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
        claim = (
            Claim.objects.filter(pk=claim_id, article__episode=self.episode)
            .select_related("article")
            .first()
        )
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

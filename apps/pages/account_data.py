"""Everything of a person's in one ZIP: "Download my data" on the account page.

- `notes.jsonld`: every note as a W3C Web Annotation collection, the very file
  /notes/export.jsonld gives, which /notes/import/ reads back;
- `episodes/<video id>.md`: for each episode they annotated, its notes.md with their notes
  after their claims, as /episodes/<id>/notes.md gives it to them;
- `account.json`: the account (username, email, when it joined) and its API tokens' names
  and dates. A token's key is never kept, and its hash is not given either.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.emails import email_is_verified
from apps.accounts.tokens import api_tokens_of
from apps.pages.views.exports import episode_markdown, notes_collection_json


def account_data_zip(request: HttpRequest) -> bytes:
    """The signed-in person's data, zipped."""
    user = request.user
    video_ids = (
        user.annotations.order_by("episode__video_id")
        .values_list("episode__video_id", flat=True)
        .distinct()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("account.json", json.dumps(account_json(user), indent=2))
        archive.writestr("notes.jsonld", notes_collection_json(request))
        for video_id in video_ids:
            _, document = episode_markdown(video_id, user)
            archive.writestr(f"episodes/{_file_name(video_id)}.md", document)
    return buffer.getvalue()


def account_json(user) -> dict[str, object]:
    return {
        "username": user.get_username(),
        "email": user.email or None,
        "email_verified": email_is_verified(user),
        "date_joined": _when(user.date_joined),
        "exported": _when(timezone.now()),
        "api_tokens": [
            {
                "name": token.name,
                "created": _when(token.created),
                "last_used": _when(token.last_used),
            }
            for token in api_tokens_of(user)
        ],
    }


def _when(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _file_name(video_id: str) -> str:
    # Video ids are 11 URL-safe characters; anything else an import let in stays a plain name.
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in video_id) or "episode"

"""Usernames that cannot pass for someone else's.

Django already stores a username NFKC-normalised and refuses one equal to another but for
case. These checks go further, for every form that creates an account: a name that mixes
scripts with look-alike letters ("admin" with a Cyrillic a) is refused outright, and so is
one whose skeleton (NFKC, case-folded, each letter replaced by the Latin letter it looks
like) is the skeleton of an existing name ("ace" written in Cyrillic beside "ace").
"""

from __future__ import annotations

import unicodedata

from confusable_homoglyphs import confusables
from django import forms

from apps.accounts.models import UsernameShape

MIXED_SCRIPTS = (
    "This username mixes scripts whose letters look alike (here {scripts}). Write it in one script."
)
LOOKS_TAKEN = "This username looks too much like an existing one. Choose another."


def normalize(username: str) -> str:
    """The spelling Django stores: what signing in must look up, too."""
    return unicodedata.normalize("NFKC", username)


def skeleton(username: str) -> str:
    """What the name looks like: each character as the Latin one it could be taken for."""
    shapes = []
    for character in normalize(username).casefold():
        found = confusables.is_confusable(character, preferred_aliases=["latin"]) or []
        latin = [glyph["c"] for hit in found for glyph in hit["homoglyphs"]]
        shapes.append(latin[0].casefold() if latin else character)
    return "".join(shapes)


def username_refusal(username: str) -> str | None:
    """Why `username` may not be taken by a new account, or None when it may."""
    username = normalize(username)
    if confusables.is_dangerous(username, preferred_aliases=["latin"]):
        scripts = sorted({confusables.alias(c).title() for c in username if c.isalpha()})
        return MIXED_SCRIPTS.format(scripts=" and ".join(scripts))
    # Every account's shape is kept beside it (models.UsernameShape): one indexed lookup.
    if UsernameShape.objects.filter(shape=skeleton(username)).exists():
        return LOOKS_TAKEN
    return None


class LookAlikeUsernames:
    """For Django's user-creation forms: refuse usernames that could pass for another."""

    def clean_username(self) -> str:
        username = super().clean_username()  # type: ignore[misc]
        refusal = username and username_refusal(username)
        if refusal:
            raise forms.ValidationError(refusal, code="look_alike")
        return username

"""Request text the database can hold: PostgreSQL refuses NUL in text, so it never gets there.

URL parts go through the `text` path converter (a part with NUL matches no route: 404);
query and form values through `text_param` (a value with NUL is a bad request: 400).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict

NUL = "\x00"


class TextConverter:
    """Like Django's `str` (no "/"), and no NUL either."""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def text_param(values: QueryDict, name: str, default: str = "") -> str:
    """`values[name]` (a GET or POST), or `default`; BadRequest when it holds a NUL."""
    value = values.get(name, default)
    if NUL in value:
        raise BadRequest(f"{name!r} holds a NUL character.")
    return value

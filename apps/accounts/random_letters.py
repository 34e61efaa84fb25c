"""Random letters for the CSRF tokens, read from the system's randomness at once.

Django masks the CSRF token anew for every response that carries it (every page with a form,
every htmx answer with one) with 32 random letters, and gives a first visit a 32-letter
secret besides. Its `get_random_string` draws each letter with `secrets.choice`: one system
call a letter, 2-5 µs each on a virtual machine. There `get_token` took 88-103 µs with the
CSRF cookie and 167 µs without, against 36-54 and 42-70 µs now (docs/performance.md), and
the signed-in episode page made 23 system calls instead of 87.

`random_letters` draws the same: each letter independent and equally likely among the
allowed ones, from the same source (`secrets`), reading the bytes in one call. A byte is
used when it falls below the largest multiple of the alphabet's length that fits in a byte,
and dropped otherwise, so no letter is likelier than another (the rejection method).
"""

from __future__ import annotations

import secrets

from django.middleware import csrf
from django.utils.crypto import get_random_string

BYTE_VALUES = 256
# Bytes read beyond the letters asked for, so that one read nearly always suffices: with 62
# letters, 8 of the 256 byte values are dropped, and 32 letters from 40 bytes need a second
# read about once in 300,000 draws.
SPARE_BYTES = 8


def random_letters(length: int, allowed_chars: str) -> str:
    """`length` letters of `allowed_chars`, each equally likely, as `get_random_string`."""
    size = len(allowed_chars)
    if not 0 < size <= BYTE_VALUES:
        return get_random_string(length, allowed_chars)
    usable = BYTE_VALUES - BYTE_VALUES % size  # bytes at or above are dropped
    letters: list[str] = []
    while len(letters) < length:
        drawn = secrets.token_bytes(length - len(letters) + SPARE_BYTES)
        letters.extend(allowed_chars[byte % size] for byte in drawn if byte < usable)
    return "".join(letters[:length])


def draw_csrf_letters_at_once() -> None:
    """Give Django's CSRF middleware `random_letters` in place of `get_random_string`, which
    it calls for every new secret and every mask (`csrf._get_new_csrf_string`)."""
    if getattr(csrf, "get_random_string", None) is get_random_string:
        csrf.get_random_string = random_letters

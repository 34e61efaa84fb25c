"""Words as the search index sees them: pure functions, no database, no Django.

Both databases index the same normalised text, computed here, so they agree on what a word
is in any script: case folded, Latin/Greek/Cyrillic diacritics removed ("café" → "cafe",
"ёлка" → "елка"), and every CJK ideograph or kana a word of its own (those scripts put no
spaces between words). The index then only splits on spaces. Queries are read into words by
the same rules (`apps.search.text`).
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs and Japanese kana: each character is indexed as a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"


def _combining_marks() -> str:
    """A character class body for every combining mark (vowel signs of Indic scripts …)."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x300, 0x20000):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


MARKS = _combining_marks()
# A word: a CJK character alone, or a letter/digit run (marks may follow inside it).
TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}](?:[^\W_{_CJK}]|[{MARKS}])*")
# The same for ASCII text, which is most of it and needs no folding beyond lower case.
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
_LATIN_DIACRITICS = re.compile("[\u0300-\u036f]")

# Longer words are cut, the same way in the index and in queries (PostgreSQL skips words
# over 2 KB; nobody types one).
MAX_TOKEN_LENGTH = 60
_LONG_ASCII_WORD = re.compile(rf"[a-z0-9]{{{MAX_TOKEN_LENGTH + 1}}}")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", _LATIN_DIACRITICS.sub("", text))


def tokens(text: str) -> list[str]:
    plain = text.isascii()
    words = _ASCII_TOKEN.findall(text.lower()) if plain else TOKEN.findall(fold(text))
    return [word[:MAX_TOKEN_LENGTH] for word in words]


def index_text(*parts: str) -> str:
    """What the index stores for `parts`: normalised words separated by single spaces."""
    return " ".join(words for part in parts if part and (words := _index_words(part)))


def _index_words(text: str) -> str:
    # The import indexes every claim: ASCII text, whose words are rarely cut, takes a shortcut.
    if text.isascii():
        words = " ".join(_ASCII_TOKEN.findall(text.lower()))
        if len(words) <= MAX_TOKEN_LENGTH or _LONG_ASCII_WORD.search(words) is None:
            return words
    return " ".join(tokens(text))

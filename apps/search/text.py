"""Queries as the search index reads them, and where their words occur in text.

A query is read into words by the index's own rules (`apps.reader.words`), so a query and
the text it should find always agree on what a word is. Each database writes the terms in
its own query language (`backends`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from apps.reader.words import MARKS, MAX_TOKEN_LENGTH, TOKEN, tokens

# A letter, digit or mark outside ASCII: text without one has only ASCII words.
_NON_ASCII_WORD = re.compile(rf"(?![\x00-\x7f])(?:[^\W_]|[{MARKS}])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_PHRASE = re.compile(r'"([^"]*)"')

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 10
MIN_PREFIX_LENGTH = 2


@dataclass(frozen=True, slots=True)
class Term:
    """One thing every hit must contain: a word, or several words in a row (a phrase)."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word may be the start of a longer one


def parse_query(query: str) -> list[Term]:
    """Words ANDed, "quoted phrases" kept whole, the last unquoted word a prefix.

    Anything else in the query (operators, brackets, a lone quote, control characters) is
    only a separator, so no input can be a syntax error.
    """
    query = _CONTROL.sub(" ", query or "")[:MAX_QUERY_LENGTH]
    terms: list[Term] = []
    last_word: Term | None = None  # the query's last term, when it is an unquoted word
    position = 0
    for match in [*_PHRASE.finditer(query), None]:
        end = match.start() if match else len(query)
        for word in query[position:end].replace('"', " ").split():
            words = tuple(tokens(word))
            if words:
                last_word = Term(words)
                terms.append(last_word)
        if match is None:
            break
        words = tuple(tokens(match.group(1)))
        if words:
            terms.append(Term(words))
            last_word = None
        position = match.end()
    terms = list(dict.fromkeys(terms))[:MAX_TERMS]
    # A single letter as a prefix would match most of the index: it is taken as a word.
    if terms and terms[-1] == last_word and len(last_word.words[-1]) >= MIN_PREFIX_LENGTH:
        terms[-1] = Term(last_word.words, prefix=True)
    return terms


def highlight_spans(
    text: str, terms: list[Term], first_only: bool = False
) -> list[tuple[int, int]]:
    """Where the words of `terms` occur in `text` (original spelling), as (start, end)."""
    whole = frozenset(word for term in terms for word in term.words)
    prefixes = tuple(term.words[-1] for term in terms if term.prefix)
    if text.isascii() or _NON_ASCII_WORD.search(text) is None:
        # Most text (ASCII words, maybe among typographic quotes and dashes): one regular
        # expression finds the same words as the loop below.
        matcher = _ascii_matcher(whole, prefixes)
        if matcher is None:
            return []
        if first_only:
            found = matcher.search(text)
            return [found.span()] if found else []
        return [found.span() for found in matcher.finditer(text)]
    return _spans_by_token(text, whole, prefixes, first_only)


def _spans_by_token(
    text: str, whole: frozenset[str], prefixes: tuple[str, ...], first_only: bool
) -> list[tuple[int, int]]:
    spans = []
    for match in TOKEN.finditer(text):
        for word in _word_tokens(match.group()):
            if word in whole or (prefixes and word.startswith(prefixes)):
                spans.append(match.span())
                if first_only:
                    return spans
                break
    return spans


@functools.lru_cache(maxsize=1024)
def _ascii_matcher(whole: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern | None:
    """A pattern matching, in text of ASCII words, each whole word (a letter and digit run)
    that is one of `whole` or starts with one of `prefixes`, case ignored; None if no word
    can match."""
    alternatives = []
    for word in sorted(whole):
        if word.isascii():
            # A word as long as the index keeps them stands for any longer word it starts.
            rest = "[a-z0-9]*" if len(word) >= MAX_TOKEN_LENGTH else ""
            alternatives.append(re.escape(word) + rest)
    alternatives += [re.escape(prefix) + "[a-z0-9]*" for prefix in prefixes if prefix.isascii()]
    if not alternatives:
        return None
    return re.compile(
        rf"(?<![a-z0-9])(?:{'|'.join(alternatives)})(?![a-z0-9])", re.IGNORECASE | re.ASCII
    )


@functools.lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[str, ...]:
    """One word of original text as the index reads it (folding may split "½" in two)."""
    return (word.lower()[:MAX_TOKEN_LENGTH],) if word.isascii() else tuple(tokens(word))

"""Query parsing and normalisation: pure functions, the same for both databases."""

from __future__ import annotations

import pytest

from apps.reader.words import index_text
from apps.search.backends.postgresql import tsquery
from apps.search.backends.sqlite import fts5_query
from apps.search.text import Term, highlight_spans, parse_query


def test_index_text_folds_case_and_diacritics_and_splits_cjk() -> None:
    assert index_text("Café ZÜRICH", "Ёлка") == "cafe zurich елка"
    assert index_text("麒麟和風神") == "麒 麟 和 風 神"
    assert index_text("हिन्दी भाषा") == "हिन्दी भाषा"
    assert index_text("foo_bar v2.0 x<y") == "foo bar v2 0 x y"


def test_words_are_anded_and_the_last_word_is_a_prefix() -> None:
    assert parse_query("Reinforcement LEARN") == [
        Term(("reinforcement",)),
        Term(("learn",), prefix=True),
    ]


def test_quoted_phrases_stay_whole_and_are_never_prefixes() -> None:
    assert parse_query('bullet "human feedback"') == [
        Term(("bullet",)),
        Term(("human", "feedback")),
    ]


def test_a_cjk_word_is_a_phrase_of_its_characters() -> None:
    # Each character is a whole word already, so it is no prefix.
    assert parse_query("麒麟") == [Term(("麒", "麟"))]


def test_one_letter_is_a_word_not_a_prefix() -> None:
    assert parse_query("vitamin c") == [Term(("vitamin",)), Term(("c",))]


def test_operators_quotes_and_control_characters_are_only_separators() -> None:
    assert parse_query('"') == []
    assert parse_query("*") == []
    # Words joined by punctuation must appear together, as "foo-bar" would.
    assert parse_query("NEAR(a b) title:x ^y -z") == [
        Term(("near", "a")),
        Term(("b",)),
        Term(("title", "x")),
        Term(("y",)),
        Term(("z",)),
    ]
    assert parse_query("drop\x00table\x1b;--") == [Term(("drop",)), Term(("table",), prefix=True)]


def test_long_queries_are_cut_to_ten_terms() -> None:
    assert len(parse_query("word " * 5000)) == 1
    assert len(parse_query(" ".join(f"w{i}" for i in range(2000)))) == 10


def test_both_query_languages_say_the_same_thing() -> None:
    terms = parse_query('a "b c" dé')

    assert fts5_query(terms) == '"a" AND "b c" AND "de"*'
    assert tsquery(terms) == "'a' & ('b' <-> 'c') & 'de':*"


ASCII_TEXTS = [
    "Reinforcement learning from human feedback (RLHF) uses bullet points.",
    "foo_bar FOO-bar v2.0 x<y 3rd 2024-05-01 learn learned LEARNING relearn",
    "A" + "b" * 70 + " tail " + "c" * 60 + "d",  # words the index cuts to 60 characters
    "",
    "Punctuation... (learn)! 'learning', \"learned\" learn_ing",
    "Typography \u2014 \u201clearn\u201d \u2019learning\u2019 \u2026 learned",  # marks between ASCII words
]
NON_ASCII_WORDS = ["Café learning ½ learn", "ёлка learn", "ﬁle learn", "learn\u0301ed learn"]


def _by_token(text: str, terms: list[Term], first_only: bool) -> list[tuple[int, int]]:
    from apps.search.text import _spans_by_token

    whole = frozenset(word for term in terms for word in term.words)
    prefixes = tuple(term.words[-1] for term in terms if term.prefix)
    return _spans_by_token(text, whole, prefixes, first_only)


@pytest.mark.parametrize(
    "query",
    [
        "learn",
        "LEARN",
        "learn bullet",
        '"human feedback" rl',
        "3rd 2024",
        "x y",
        "foo",
        "b" * 70,
        "c" * 61,
        "tail ccc",
        "café",
        "ß",
        "Ёлка learn",
    ],
)
def test_highlights_found_by_pattern_are_the_words_the_tokens_find(query: str) -> None:
    terms = parse_query(query)
    for text in ASCII_TEXTS + NON_ASCII_WORDS:
        for first_only in (False, True):
            assert highlight_spans(text, terms, first_only) == _by_token(text, terms, first_only)
    # "learn" is the last word, so a prefix: "relearn" is another word.
    assert highlight_spans(ASCII_TEXTS[1], parse_query("learn")) == [(40, 45), (46, 53), (54, 62)]

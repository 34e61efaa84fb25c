"""Query parsing and normalisation: pure functions, the same for both databases."""

from __future__ import annotations

from apps.search.text import Term, fts5_query, index_text, parse_query, tsquery


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

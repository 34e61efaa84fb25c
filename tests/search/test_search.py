"""The search function on real imported documents; runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create, annotation_delete, annotation_update
from apps.episodes.models import Article, Claim
from apps.ingest.importer import import_paths
from apps.ingest.unfinished import mark_unfinished
from apps.search import queries
from apps.search.backends import get_backend
from apps.search.models import SearchDocument
from apps.search.queries import claims_matching, search
from apps.search.text import parse_query
from tests.annotations.factories import make_annotation

from .conftest import BULLETS

pytestmark = pytest.mark.django_db


def texts(query: str, user=None) -> list[str]:
    return [hit.snippet for hit in search(query, user=user)[:50]]


def test_every_word_must_appear(library) -> None:
    assert texts("tokens splits") == [
        "Definition: A tokenizer splits text into tokens.",
    ]
    assert texts("tokens pancakes") == []


def test_the_last_word_is_a_prefix_and_case_is_ignored(library) -> None:
    assert texts("REINFORCEMENT learn") == [
        "Reinforcement learning from human feedback (RLHF) rewards bullet points."
    ]


def test_prefixes_of_two_and_three_letters_find_the_words_they_start(library) -> None:
    # SQLite's index keeps such prefixes apart (prefix='2 3'); both must find the same.
    feedback = "Reinforcement learning from human feedback (RLHF) rewards bullet points."
    assert texts("rewards fe") == texts("rewards fee") == texts("rewards feedb") == [feedback]
    assert texts("rewards fx") == texts("rewards fex") == []
    assert texts("human rl") == [feedback]  # "RLHF", a word of capitals
    assert texts("pancakes ze") == []
    assert texts("cafe zü") == ["The café in Zürich serves crème brûlée to Schrödinger."]
    assert texts("भाषा भा") == texts("भा") == ["हिन्दी भाषा भारत में बोली जाती है."]
    assert texts("ёл") == texts("ел") == ["Москва — столица России, и ёлка стоит зимой."]
    assert search("bu").count() == search("bul").count() == search("bullet").count() == 3


def test_quoted_phrases_match_words_in_a_row_only(library) -> None:
    assert texts('"human feedback"') == [
        "Reinforcement learning from human feedback (RLHF) rewards bullet points."
    ]
    assert texts('"feedback human"') == []


def test_diacritics_are_ignored_both_ways(library) -> None:
    expected = ["The café in Zürich serves crème brûlée to Schrödinger."]
    assert texts("cafe zurich") == expected
    assert texts("CAFÉ Brulee schrodinger") == expected


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("麒麟", "麒麟和風神"),
        ("風神", "麒麟和風神"),
        ("москва россии", "Москва"),
        ("елка", "Москва"),  # the diacritic of ё is ignored
        ("भारत", "हिन्दी"),
        ("हिन्दी भाषा", "हिन्दी"),
    ],
)
def test_any_script_is_searchable(library, query, start) -> None:
    found = texts(query)

    assert len(found) == 1
    assert found[0].startswith(start)


def test_a_cjk_word_matches_only_its_characters_in_a_row(library) -> None:
    assert texts("麟麒") == []


def test_titles_count_and_rank_above_body_text(library) -> None:
    hits = search("bullet")[:50]

    # Both claims of the article titled "Bullet points…" come first, in either order.
    assert sorted(hit.snippet for hit in hits[:2]) == [
        "Answers sound formal and dull.",
        "Chat models write bullet points too often.",
    ]
    assert [(hit.video_id, hit.snippet) for hit in hits[2:]] == [
        ("searchvid01", "Reinforcement learning from human feedback (RLHF) rewards bullet points."),
    ]


def test_capped_results_still_rank_titles_above_body_text(library, monkeypatch) -> None:
    monkeypatch.setattr(queries, "MAX_HITS", 2)  # "bullet" has three matches

    hits = search("bullet")

    # All three matches are read (MAX_HITS + 1), and ranked: the title's two claims first.
    assert (hits.capped, len(hits)) == (True, 2)
    assert sorted(hit.snippet for hit in hits[:10]) == [
        "Answers sound formal and dull.",
        "Chat models write bullet points too often.",
    ]


def test_a_hit_links_to_its_episode_at_its_second(library) -> None:
    claim = library.claim("crème brûlée")

    [hit] = search("brulee")[:10]

    assert (hit.kind, hit.id, hit.video_id, hit.seconds) == ("claim", claim.pk, "searchvid01", 75)
    assert hit.path == f"/episodes/searchvid01/?t=75#c{claim.pk}"


def test_snippets_highlight_matches_and_escape_everything_else(library, ada) -> None:
    make_annotation(
        ada,
        episode=library.tokenizers,
        seconds=5,
        body='<img src=x onerror="alert(1)"> tokenizers & <b>Tokens</b>',
        visibility=Annotation.Visibility.PUBLIC,
    )

    hits = search("tokens")[:50]

    assert [str(hit.highlighted) for hit in hits if hit.kind == "annotation"] == [
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; tokenizers &amp; "
        "&lt;b&gt;<mark>Tokens</mark>&lt;/b&gt;"
    ]
    assert "Compare with x &lt; y &amp;&amp; y &gt; z when counting <mark>tokens</mark>." in [
        str(hit.highlighted) for hit in hits
    ]


def test_long_text_is_cut_around_the_first_match(library, ada) -> None:
    body = "filler " * 60 + "the needle is here " + "after " * 60
    make_annotation(ada, episode=library.bullets, body=body, visibility="public")

    [hit] = search("needle")[:10]

    assert hit.snippet.startswith("…")
    assert hit.snippet.endswith("…")
    assert "<mark>needle</mark>" in hit.highlighted
    assert len(hit.snippet) == 202


def test_annotations_are_found_only_by_who_may_see_them(library, ada, bob) -> None:
    shared = make_annotation(ada, episode=library.bullets, body="zebra shared", visibility="public")
    mine = make_annotation(ada, episode=library.bullets, body="zebra private of ada")
    make_annotation(bob, episode=library.bullets, body="zebra private of bob")

    def found(user):
        return sorted(hit.id for hit in search("zebra", user=user)[:50])

    assert found(None) == [shared.pk]
    assert found(ada) == sorted([shared.pk, mine.pk])
    assert search("zebra", user=ada).count() == 2
    assert search("bob", user=ada).count() == 0


def test_a_private_note_is_not_found_even_if_its_document_says_public(library, ada, bob) -> None:
    note = make_annotation(ada, episode=library.bullets, body="a quokka secret")
    SearchDocument.objects.filter(annotation_id=note.pk).update(public=True)  # a stale row

    assert [hit.id for hit in search("quokka")[:5]] == []
    assert [hit.id for hit in search("quokka", user=bob)[:5]] == []
    assert [hit.id for hit in search("quokka", user=ada)[:5]] == [note.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's documents are partitioned")
def test_sqlite_holds_at_most_one_document_per_note(library, ada) -> None:
    from django.db import IntegrityError, transaction

    note = make_annotation(ada, episode=library.bullets, body="a numbat")
    document = SearchDocument.objects.get(annotation_id=note.pk)
    document.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        document.save()
    assert SearchDocument.objects.filter(annotation_id=note.pk).count() == 1


def test_notes_are_indexed_on_every_write_and_delete(library, ada) -> None:
    note = annotation_create(
        author=ada, episode=library.bullets, seconds=12, body="a walrus note", visibility="public"
    )
    assert [(h.kind, h.id, h.seconds) for h in search("walrus")[:5]] == [
        ("annotation", note.pk, 12)
    ]
    assert search("walrus")[:5][0].path == f"/episodes/searchvid02/?t=12#c{note.claim_id}"

    annotation_update(annotation=note, actor=ada, body="an otter note")
    assert search("walrus").count() == 0
    assert search("otter").count() == 1

    annotation_update(annotation=note, actor=ada, visibility="private")
    assert search("otter").count() == 0
    assert search("otter", user=ada).count() == 1

    annotation_delete(annotation=note, actor=ada)
    assert search("otter", user=ada).count() == 0


def test_reimport_replaces_the_claims_in_the_index(library) -> None:
    path = library.folder / "bullets.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("formal and dull", "crisp and lively"),
        encoding="utf-8",
    )
    import_paths([path])

    assert texts("dull") == []
    assert texts("lively") == ["Answers sound crisp and lively."]
    assert search("bullet").count() == 3


def test_renamed_episodes_are_found_by_their_new_title(library) -> None:
    library.bullets.title = "Hedgehog chat"
    library.bullets.save()

    assert search("hedgehog").count() == 2
    assert search("chat models").count() == 2  # the article keeps its own title


def test_deleting_an_episode_takes_its_documents_away(library) -> None:
    library.bullets.delete()

    assert search("bullet").count() == 1


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unclosed phrase',
        "AND OR NOT",
        "NEAR(a b, 2)",
        "title:tokens",
        "^tokens*",
        "tokens -splits +x",
        "x" * 5000,
        "tokens " * 5000,
        "\x00\x01\x1b[31m tokens \x7f",
        "'; DROP TABLE episodes_claim; --",
        "tokens') OR 1=1 --",
        "()[]{}<>*:^~!@#$%&|\\/",
        "",
        "   ",
    ],
)
def test_malformed_queries_never_fail(library, query) -> None:
    results = search(query)

    assert results.count() == len(results[:1000])


def test_broad_queries_rank_and_count_only_the_first_max_hits(library, monkeypatch) -> None:
    monkeypatch.setattr(queries, "MAX_HITS", 3)

    broad, narrow = search("token"), search("tokens")

    assert (broad.count(), broad.capped, len(broad[:50])) == (3, True, 3)
    assert broad[2:50] == broad[:50][2:]
    assert (narrow.count(), narrow.capped, len(narrow[:50])) == (2, False, 2)


def test_an_import_indexes_articles_an_interrupted_one_left_out(library) -> None:
    # As a run killed after committing the episode's articles leaves them: marked, unindexed.
    SearchDocument.objects.filter(episode_id=library.bullets.pk).delete()
    mark_unfinished(Article.objects.filter(episode=library.bullets).values_list("pk", flat=True))
    assert search("bullet").count() == 1

    import_paths([library.folder])  # every file unchanged

    assert search("bullet").count() == 3


def test_episodes_titled_by_a_channel_page_in_the_same_import_are_found(tmp_path) -> None:
    (tmp_path / "bullets.md").write_text(BULLETS, encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "---\ntitle: Test Channel\n---\n\n"
        "### [Walruses explain chat](https://www.youtube.com/watch?v=searchvid02)\n"
        "- [[bullets | Bullet points]]\n",
        encoding="utf-8",
    )

    import_paths([tmp_path])

    assert search("walruses").count() == 2


def test_claims_matching_narrows_a_queryset(library) -> None:
    claims = Claim.objects.filter(article__episode=library.tokenizers)

    assert list(claims_matching("bullet", claims).values_list("text", flat=True)) == [
        "Reinforcement learning from human feedback (RLHF) rewards bullet points."
    ]
    assert claims_matching('"', claims).count() == 0


# The suite runs once on SQLite and once on PostgreSQL: both must produce exactly these.
SAME_ON_BOTH_DATABASES = {
    "tokens": 2,
    "token": 7,  # a prefix of "tokenizers", in the title of every claim of that episode
    "tokenizer": 7,
    '"tokenizer"': 1,
    "bullet points": 3,
    '"bullet points" chat': 2,
    "explained россии": 1,
    "神": 1,
    "麒麟 café": 0,
    "zürich schrodinger": 1,
    "rlhf": 1,
    "1": 0,
    "x y": 1,
}


def test_both_databases_give_the_same_results(library) -> None:
    found = {query: search(query).count() for query in SAME_ON_BOTH_DATABASES}

    assert found == SAME_ON_BOTH_DATABASES
    assert [hit.snippet for hit in search('"tokenizer"')[:10]] == [
        "Definition: A tokenizer splits text into tokens."
    ]


def test_the_index_can_be_rebuilt_from_scratch(library, ada) -> None:
    make_annotation(ada, episode=library.bullets, body="rebuilt zebra", visibility="public")
    output = io.StringIO()

    call_command("rebuild_search_index", stdout=output)

    assert output.getvalue() == "indexed 10 documents\n"
    assert search("zebra").count() == 1
    assert search("bullet").count() == 4  # the note sits in the episode titled "Bullet…"


def test_sqlite_index_keeps_new_terms_in_memory_until_commit() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("an FTS5 setting")
    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM search_fts_config WHERE k = 'hashsize'")
        assert cursor.fetchone() == (64 * 1024 * 1024,)


def postgresql_only(what: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(what)


def test_postgresql_keeps_documents_in_eight_hash_partitions_each_with_its_indexes() -> None:
    postgresql_only("PostgreSQL's partitions")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), "
            "(SELECT array_agg(i.indexrelid::regclass::text ORDER BY 1) FROM pg_index i "
            " JOIN pg_am a ON a.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid) "
            " WHERE i.indrelid = c.oid AND a.amname = 'gin') "
            "FROM pg_inherits JOIN pg_class c ON c.oid = inhrelid "
            "WHERE inhparent = 'search_searchdocument'::regclass ORDER BY c.relname"
        )
        partitions = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_index WHERE indrelid = 'search_searchdocument_3'::regclass"
        )
        [indexes_of_one] = cursor.fetchone()

    assert partitions == [
        (
            f"search_searchdocument_{n}",
            f"FOR VALUES WITH (modulus 8, remainder {n})",
            [f"search_searchdocument_{n}_vector_idx"],
        )
        for n in range(8)
    ]
    assert indexes_of_one == 6  # the primary key, the vector's GIN and four foreign keys


def test_postgresql_stops_reading_partitions_once_it_has_enough_matches(library) -> None:
    postgresql_only("PostgreSQL's partitions")
    SearchDocument.objects.bulk_create(
        SearchDocument(kind="claim", episode_id=library.bullets.pk, body=f"zebra {n}")
        for n in range(200)
    )
    sql, params = get_backend().matching(parse_query("zeb"), author_id=None)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) SELECT d.id {sql} LIMIT 6", params)
        [[plan]] = cursor.fetchone()

    scans = plan["Plan"]["Plans"][0]["Plans"]  # Limit, Append, one scan per partition
    read = [scan for scan in scans if scan["Actual Loops"] > 0]
    assert (plan["Plan"]["Actual Rows"], len(scans)) == (6, 8)
    assert 1 <= len(read) <= 3  # 200 documents spread over 8: the first one or two suffice
    assert search("zeb").count() == 200


MARKDOWN_NOTE = """# Walrus facts

*now italic* and a **bold** [link](https://example.org/hidden) ![a tusk](https://img.example/t.png)
> quoted `inline code`

- first item
1. numbered

```python
print("fenced")
```
"""


def test_note_snippets_show_the_text_of_their_markdown(library, ada) -> None:
    make_annotation(ada, episode=library.bullets, body=MARKDOWN_NOTE, visibility="public")

    [hit] = search("link")[:10]

    assert hit.snippet == (
        "Walrus facts now italic and a bold link a tusk quoted inline code first item "
        'numbered print("fenced")'
    )
    assert str(hit.highlighted) == (
        "Walrus facts now italic and a bold <mark>link</mark> a tusk quoted inline code "
        "first item numbered print(&quot;fenced&quot;)"
    )


def test_a_note_is_found_by_the_words_it_shows_not_its_markdown(library, ada) -> None:
    note = make_annotation(ada, episode=library.bullets, body=MARKDOWN_NOTE, visibility="public")

    found = {query: [hit.id for hit in search(query)[:10]] for query in ["link", "tusk", "fenced"]}
    unseen = {query: len(search(query)) for query in ["https", "hidden", "img", "python"]}

    assert found == {"link": [note.pk], "tusk": [note.pk], "fenced": [note.pk]}
    assert unseen == {"https": 0, "hidden": 0, "img": 0, "python": 0}


def test_html_in_a_note_and_in_the_query_stays_escaped(library, ada) -> None:
    make_annotation(
        ada,
        episode=library.bullets,
        body="<script>alert(1)</script> *really* <b>otters</b>",
        visibility="public",
    )

    [hit] = search("<b>otters</b> <script>")[:10]

    assert hit.snippet == "<script>alert(1)</script> really <b>otters</b>"
    assert str(hit.highlighted) == (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; really "
        "&lt;<mark>b</mark>&gt;<mark>otters</mark>&lt;/<mark>b</mark>&gt;"
    )


def test_an_article_titled_as_its_episode_is_not_repeated_on_each_hit(library) -> None:
    Episode = type(library.bullets)
    Episode.objects.filter(pk=library.bullets.pk).update(title="  BULLET points in\tchat models ")
    Article.objects.filter(episode=library.tokenizers).update(title="Tokenizers, the article")

    headings = {hit.video_id: hit.heading for hit in search("bullet")[:10]}

    assert headings == {"searchvid02": "", "searchvid01": "Tokenizers, the article"}

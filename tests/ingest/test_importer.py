from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.episodes.models import (
    Article,
    Channel,
    Claim,
    ContentVersion,
    Episode,
    Link,
    Section,
    Timestamp,
)
from apps.ingest import importer
from apps.ingest import rows as ingest_rows
from apps.ingest.importer import import_paths
from apps.reader.words import index_text
from apps.search.indexing import claim_title
from apps.search.models import SearchDocument
from apps.search.queries import claims_matching
from tests.annotations.factories import make_user

from .seed_files import write

pytestmark = pytest.mark.django_db

ARTICLE = """---
title: Pre-training and post-training
videoId: AAAAAAAAAAA
---

From: [[dwarkesh | The Dwarkesh Podcast]]

An introduction to training <a class="yt-timestamp" data-t="00:00:05">[00:00:05]</a>.

## Pre-training
*   **Objective**: Imitate the internet <a class="yt-timestamp" data-t="00:01:09">[00:01:09]</a>. Predict tokens <a class="yt-timestamp" data-t="00:01:37">[00:01:37]</a>.
    *   A nested point <a class="yt-timestamp" data-t="00:01:40">[00:01:40]</a>.
*   See [[reinforcement_learning | RLHF]] too.

### Details
A paragraph without a time.

## Post-training
*   Narrower behaviour <a class="yt-timestamp" data-t="01:02:03">[01:02:03]</a>."""

INDEX = """---
title: dwarkesh
---
### [The real episode title](https://www.youtube.com/watch?v=AAAAAAAAAAA)
- [[pre_training_and_post_training | Pre-training and post-training]]
"""


def test_article_becomes_episode_sections_claims_and_timestamps(tmp_path: Path) -> None:
    write(tmp_path, "a.md", ARTICLE)

    report = import_paths([tmp_path])

    assert report.summary() == (
        "imported 1 articles (1 episodes, 6 claims, 5 timestamps); 0 unchanged; 0 warnings; "
        "0 failed"
    )
    article = Article.objects.get()
    assert (article.slug, article.title, article.channel.slug, article.channel.name) == (
        "pretraining_and_posttraining",
        "Pre-training and post-training",
        "dwarkesh",
        "The Dwarkesh Podcast",
    )
    assert article.summary.startswith("An introduction to training")
    episode = article.episode
    assert (episode.video_id, episode.title, episode.channel.slug) == (
        "AAAAAAAAAAA",
        "Pre-training and post-training",
        "dwarkesh",
    )
    sections = list(article.sections.order_by("position"))
    assert [(s.title, s.level) for s in sections] == [
        ("", 0),
        ("Pre-training", 2),
        ("Details", 3),
        ("Post-training", 2),
    ]
    assert sections[2].parent == sections[1]
    assert sections[1].parent is None

    objective = Claim.objects.get(label="Objective")
    assert objective.section == sections[1]
    assert objective.kind == "item"
    assert [t.seconds for t in objective.timestamps.order_by("position")] == [69, 97]
    nested = objective.children.get()
    assert (nested.depth, nested.text) == (1, "A nested point.")
    assert list(nested.timestamps.values_list("seconds", "episode__video_id")) == [
        (100, "AAAAAAAAAAA")
    ]
    assert list(
        Timestamp.objects.filter(episode=episode)
        .order_by("seconds")
        .values_list("seconds", flat=True)
    ) == [5, 69, 97, 100, 3723]
    assert list(Link.objects.values_list("target_slug", "text")) == [
        ("reinforcement_learning", "RLHF")
    ]


def test_unchanged_file_is_skipped_and_keeps_its_rows(tmp_path: Path) -> None:
    write(tmp_path, "a.md", ARTICLE)
    import_paths([tmp_path])
    claim_ids = set(Claim.objects.values_list("id", flat=True))

    report = import_paths([tmp_path])

    assert (report.articles, report.unchanged, report.failed) == (0, 1, 0)
    assert set(Claim.objects.values_list("id", flat=True)) == claim_ids


def test_changed_file_updates_its_article_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", ARTICLE)
    import_paths([tmp_path])
    article_id = Article.objects.get().pk

    path.write_text(ARTICLE.replace("Narrower behaviour", "A narrower behaviour"), "utf-8")
    report = import_paths([tmp_path])

    assert (report.articles, report.unchanged) == (1, 0)
    assert Article.objects.get().pk == article_id
    assert Claim.objects.filter(text__startswith="A narrower behaviour").count() == 1
    assert not Claim.objects.filter(text__startswith="Narrower").exists()
    assert Claim.objects.count() == 6
    assert Timestamp.objects.count() == 5
    assert Section.objects.count() == 4


@pytest.mark.parametrize("index_first", [True, False])
def test_channel_index_gives_episodes_their_real_titles(tmp_path: Path, index_first: bool) -> None:
    names = ("0-index.md", "1-article.md") if index_first else ("1-index.md", "0-article.md")
    write(tmp_path, f"dwarkesh/{names[0]}", INDEX)
    write(tmp_path, f"dwarkesh/{names[1]}", ARTICLE)

    import_paths([tmp_path])

    episode = Episode.objects.get()
    assert (episode.title, episode.titled_by_index) == ("The real episode title", True)

    # A later re-import of the article alone does not undo the index's title.
    write(tmp_path, f"dwarkesh/{names[1]}", ARTICLE + "\n\nOne more paragraph.")
    import_paths([tmp_path / "dwarkesh" / names[1]])
    assert Episode.objects.get().title == "The real episode title"


def test_directory_page_names_channels(tmp_path: Path) -> None:
    write(tmp_path, "a.md", ARTICLE.replace("[[dwarkesh | The Dwarkesh Podcast]]", "[[dwarkesh]]"))
    write(tmp_path, "directory.md", "---\ntitle: Directory\n---\n- [[dwarkesh | Dwarkesh]]\n")

    import_paths([tmp_path])

    assert list(Channel.objects.values_list("slug", "name")) == [("dwarkesh", "Dwarkesh")]


def test_unreadable_files_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    write(tmp_path, "a-good.md", ARTICLE)
    write(tmp_path, "b-no-front-matter.md", "Just some text\n")
    (tmp_path / "c-latin1.md").write_bytes(b"---\ntitle: Caf\xe9\nvideoId: BBBBBBBBBBB\n---\n")
    missing = tmp_path / "nowhere"

    report = import_paths([tmp_path, missing])

    assert report.articles == 1
    assert report.failed == 3
    assert report.errors[0] == f"{missing}:1: no such file or folder"
    assert report.errors[1].startswith(f"{tmp_path / 'b-no-front-matter.md'}:1: ")
    assert report.errors[2].startswith(f"{tmp_path / 'c-latin1.md'}:2: not UTF-8 text")


def test_a_file_the_database_refuses_is_rolled_back_and_the_next_files_still_land(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real refusal by the database (a negative second breaks the column's CHECK), which
    # PostgreSQL answers by aborting the transaction: only the file's savepoint may go.
    write(tmp_path, "a.md", ARTICLE)
    write(
        tmp_path, "b.md", ARTICLE.replace("AAAAAAAAAAA", "BBBBBBBBBBB").replace("Pre-t", "Other t")
    )
    write(
        tmp_path, "c.md", ARTICLE.replace("AAAAAAAAAAA", "CCCCCCCCCCC").replace("Pre-t", "Third t")
    )
    original = ingest_rows.insert_rows

    def negative_seconds_for_b(model, columns, rows, returning=None):
        if (
            model is Timestamp
            and rows
            and Episode.objects.filter(pk=rows[0][1]).filter(video_id="BBBBBBBBBBB").exists()
        ):
            rows = [(claim, episode, -1, position) for claim, episode, _, position in rows]
        return original(model, columns, rows, returning)

    monkeypatch.setattr(ingest_rows, "insert_rows", negative_seconds_for_b)

    report = import_paths([tmp_path])

    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{tmp_path / 'b.md'}:1: could not be saved (")
    assert sorted(Article.objects.values_list("episode__video_id", flat=True)) == [
        "AAAAAAAAAAA",
        "CCCCCCCCCCC",
    ]
    assert not Episode.objects.filter(video_id="BBBBBBBBBBB").exists()
    assert Claim.objects.count() == 12
    assert not Timestamp.objects.filter(seconds__lt=0).exists()


def test_failure_while_writing_leaves_nothing_of_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a.md", ARTICLE)
    write(
        tmp_path, "b.md", ARTICLE.replace("AAAAAAAAAAA", "BBBBBBBBBBB").replace("Pre-t", "Other t")
    )
    original = ingest_rows.insert_rows
    failures = []

    def fail_on_first_timestamps(model, columns, rows, returning=None):
        if model is Timestamp and not failures:
            failures.append(rows)
            raise DatabaseError("disk full")
        return original(model, columns, rows, returning)

    monkeypatch.setattr(ingest_rows, "insert_rows", fail_on_first_timestamps)

    report = import_paths([tmp_path])

    assert report.errors == [f"{tmp_path / 'a.md'}:1: could not be saved (disk full)"]
    assert list(Article.objects.values_list("episode__video_id", flat=True)) == ["BBBBBBBBBBB"]
    assert not Episode.objects.filter(video_id="AAAAAAAAAAA").exists()
    assert Claim.objects.count() == 6

    # The failed file is not remembered as imported: the next run picks it up.
    monkeypatch.setattr(ingest_rows, "insert_rows", original)
    assert import_paths([tmp_path]).articles == 1
    assert Article.objects.count() == 2


def test_seed_document_imports(tmp_path: Path) -> None:
    report = import_paths([settings.SEEDS_DIR])

    assert (report.articles, report.failed) == (1, 0)
    article = Article.objects.select_related("episode", "channel").get()
    assert article.episode.video_id == "Wo95ob_s_NI"
    assert article.title == "Challenges and advancements in AI training techniques"
    assert article.slug == "challenges_and_advancements_in_ai_training_techniques"
    assert (article.channel.slug, article.channel.name) == ("dwarkesh", "The Dwarkesh Podcast")
    first_item = Claim.objects.filter(article=article, kind="item").order_by("position").first()
    assert first_item.label == "Objective"
    assert list(first_item.timestamps.values_list("seconds", flat=True)) == [69, 97, 103]


def test_folder_walk_skips_readme_but_a_named_readme_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.md", ARTICLE)
    readme = write(tmp_path, "README.md", "# About these documents\n")

    walked = import_paths([tmp_path])
    named = import_paths([readme])

    assert (walked.articles, walked.failed) == (1, 0)
    assert named.errors == [
        f"{readme}:1: no front matter: a document starts with ---, title: and ---"
    ]


def test_a_reader_crash_costs_one_file_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.ingest import pool as documents

    write(tmp_path, "a.md", ARTICLE)
    broken = write(tmp_path, "b.md", ARTICLE.replace("AAAAAAAAAAA", "BBBBBBBBBBB") + "\nboom")
    real_parse = documents.parse_document

    def parse_or_crash(text: str, *, path: str):
        if text.endswith("boom"):
            raise IndexError("list index out of range")
        return real_parse(text, path=path)

    monkeypatch.setattr(documents, "parse_document", parse_or_crash)

    report = import_paths([tmp_path])

    assert report.articles == 1
    assert report.errors == [
        f"{broken}:1: the reader failed on this file (IndexError: list index out of range); "
        "please report it"
    ]


def test_an_import_moves_the_content_version_once_per_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "FILES_PER_COMMIT", 2)  # a.md, b.md | c.md, index.md
    for name, video_id in (("a", "AAAAAAAAAAA"), ("b", "BBBBBBBBBBB"), ("c", "CCCCCCCCCCC")):
        write(
            tmp_path,
            f"{name}.md",
            ARTICLE.replace("AAAAAAAAAAA", video_id).replace("title: Pre", f"title: {name} pre"),
        )
    write(tmp_path, "index.md", INDEX)
    ContentVersion.bump()  # its row exists, as it does once anything was imported
    before = ContentVersion.current()

    with CaptureQueriesContext(connection) as queries:
        first = import_paths([tmp_path])
    after_first = ContentVersion.current()
    again = import_paths([tmp_path])

    assert (first.articles, again.unchanged) == (3, 3)
    # Channels, episodes and articles saved, an episode retitled, links resolved: one UPDATE
    # in each of the two transactions of files, and one in the transaction that finishes.
    version_table = ContentVersion._meta.db_table
    assert [q["sql"].split()[0] for q in queries if version_table in q["sql"]] == ["UPDATE"] * 3
    assert after_first == before + 3
    # The index page is read again, but changes nothing: kept pages stay valid.
    assert ContentVersion.current() == after_first


def test_changing_content_moves_the_version_once_inside_its_transaction() -> None:
    before = ContentVersion.current()

    with ContentVersion.changing():
        ContentVersion.bump()
        with ContentVersion.changing():
            ContentVersion.bump()
        assert ContentVersion.current() == before + 1  # the inner transaction's own
        ContentVersion.bump()
        assert ContentVersion.current() == before + 1
    with ContentVersion.changing():
        pass
    with pytest.raises(ZeroDivisionError), ContentVersion.changing():
        ContentVersion.bump()
        1 / 0  # noqa: B018

    assert ContentVersion.current() == before + 2


def test_search_words_made_while_parsing_are_those_the_index_makes_itself(
    tmp_path: Path,
) -> None:
    from apps.search.indexing import rebuild_index
    from apps.search.models import SearchDocument

    # A callout's title labels its first claim, and this one is cut to fit (500 characters).
    long_title = ("Ünïcode Label " * 40).strip()
    write(tmp_path, "a.md", f"{ARTICLE}\n\n> [!info] {long_title}\n> The callout's body.\n")
    write(tmp_path, "index.md", INDEX)
    import_paths([tmp_path, settings.SEEDS_DIR])
    columns = ("claim_id", "episode_id", "seconds", "title", "label", "body")
    written = sorted(SearchDocument.objects.values_list(*columns))

    rebuild_index()  # from the rows in the database, with the index's own words

    assert len(written) == Claim.objects.count() > 60
    assert sorted(SearchDocument.objects.values_list(*columns)) == written
    cut = Claim.objects.get(label__startswith="Ünïcode")
    assert len(cut.label) == 500
    assert SearchDocument.objects.get(claim=cut).label.startswith("unicode label unicode")


def test_an_index_page_titles_the_episodes_search_documents_its_notes_and_claims_alike(
    tmp_path: Path,
) -> None:
    write(tmp_path, "dwarkesh/a.md", ARTICLE)
    import_paths([tmp_path])
    episode = Episode.objects.get()
    claim = Claim.objects.get(text__startswith="Narrower")
    note = annotation_create(
        author=make_user("ada"),
        episode=episode,
        claim=claim,
        body="A fine point",
        visibility=Annotation.Visibility.PUBLIC,
    )
    version = ContentVersion.current()
    write(tmp_path, "dwarkesh/index.md", INDEX)

    import_paths([tmp_path])

    titles = dict(
        SearchDocument.objects.filter(annotation=note).values_list("kind", "title")
    ) | dict(SearchDocument.objects.filter(claim=claim).values_list("kind", "title"))
    assert titles == {
        "annotation": index_text("The real episode title"),
        "claim": claim_title("The real episode title", "Pre-training and post-training"),
    }
    assert ContentVersion.current() != version
    # Every claim is found by the episode's new title.
    assert set(claims_matching("real episode").values_list("pk", flat=True)) == set(
        Claim.objects.values_list("pk", flat=True)
    )


def test_ids_of_deleted_rows_are_never_given_again(tmp_path: Path) -> None:
    """A note, a link or a cached page may still name a deleted claim's id: a new claim must
    not take it, even where the deleted rows held the highest ids."""
    write(tmp_path, "a.md", ARTICLE)
    import_paths([tmp_path])
    highest = {
        "claim": Claim.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "section": Section.objects.order_by("-pk").values_list("pk", flat=True).first(),
    }
    Article.objects.get().delete()
    write(tmp_path, "b.md", ARTICLE.replace("AAAAAAAAAAA", "BBBBBBBBBBB").replace("Pre-", "Pro-"))

    import_paths([tmp_path / "b.md"])

    article = Article.objects.get()
    assert article.claims.count() == 6
    assert min(article.claims.values_list("pk", flat=True)) > highest["claim"]
    assert min(article.sections.values_list("pk", flat=True)) > highest["section"]
    child = Claim.objects.get(text__startswith="A nested point")
    assert (child.parent.label, child.parent.article) == ("Objective", article)
    assert (child.section.title, child.section.article) == ("Pro-training", article)


@pytest.mark.django_db(transaction=True)
def test_sqlite_gives_ids_ahead_only_to_a_transaction_holding_the_write_lock() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL takes them from its sequences, in or out of a transaction")
    with pytest.raises(TransactionManagementError):
        ingest_rows.reserve_ids({Claim: 2})
    with transaction.atomic():
        [first, second] = ingest_rows.reserve_ids({Claim: 2})[Claim]
    assert second == first + 1

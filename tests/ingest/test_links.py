"""Links resolved at import: to the article they name, again as articles come and go."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.episodes.models import Article, Link
from apps.ingest.importer import import_paths
from apps.ingest.links import resolve_links

from .seed_files import document, write


def target_of(source_title: str) -> Article | None:
    link = Link.objects.select_related("target_article__channel").get(article__title=source_title)
    return link.target_article


@pytest.mark.django_db
def test_link_resolves_in_its_own_channel_before_any_other(tmp_path: Path) -> None:
    write(tmp_path, "b/holes.md", document("Black holes", "BBBBBBBBBBB", "b"))
    write(tmp_path, "a/holes.md", document("Black holes", "AAAAAAAAAAA", "a"))
    write(tmp_path, "c/holes.md", document("Black holes", "CCCCCCCCCCC", "c"))
    write(tmp_path, "b/src.md", document("Source", "DDDDDDDDDDD", "b", "See [[Black Holes]]."))
    write(tmp_path, "z/src.md", document("Elsewhere", "EEEEEEEEEEE", "z", "See [[black_holes]]."))

    import_paths([tmp_path])  # in path order: a/, b/, c/, z/

    assert target_of("Source").channel.slug == "b"
    # No article in channel z: the oldest of the others, the same on every run.
    assert target_of("Elsewhere").channel.slug == "a"


@pytest.mark.django_db
def test_link_resolves_when_its_target_arrives_in_a_later_import(tmp_path: Path) -> None:
    write(tmp_path / "one", "src.md", document("Source", "AAAAAAAAAAA", "a", "[[black_holes]]"))
    import_paths([tmp_path / "one"])
    assert target_of("Source") is None

    write(tmp_path / "two", "holes.md", document("Black Holes", "BBBBBBBBBBB", "a"))
    import_paths([tmp_path / "two"])

    assert target_of("Source").title == "Black Holes"


@pytest.mark.django_db
def test_reimported_target_keeps_its_id_and_its_links(tmp_path: Path) -> None:
    holes = write(tmp_path, "holes.md", document("Black holes", "BBBBBBBBBBB", "a"))
    write(tmp_path, "src.md", document("Source", "AAAAAAAAAAA", "a", "[[black_holes]]"))
    import_paths([tmp_path])
    first = target_of("Source")

    holes.write_text(document("Black holes", "BBBBBBBBBBB", "a", "More"), encoding="utf-8")
    report = import_paths([tmp_path])

    assert (report.articles, report.unchanged) == (1, 1)
    assert target_of("Source") == first


@pytest.mark.django_db
def test_renamed_target_leaves_no_link_pointing_at_it(tmp_path: Path) -> None:
    holes = write(tmp_path, "holes.md", document("Black holes", "BBBBBBBBBBB", "a"))
    write(tmp_path, "src.md", document("Source", "AAAAAAAAAAA", "a", "[[black_holes]]"))
    import_paths([tmp_path])
    article = target_of("Source")

    # Same channel and slug identify an article; a changed title makes a new one, so
    # rename the slug in place as an admin would, then re-import it.
    Article.objects.filter(pk=article.pk).update(slug="grey_holes", link_key="greyholes")
    holes.write_text(document("Grey holes", "BBBBBBBBBBB", "a", "Changed"), encoding="utf-8")
    import_paths([holes])

    assert Article.objects.get(pk=article.pk).title == "Grey holes"
    assert target_of("Source") is None


@pytest.mark.django_db
def test_deleted_target_unlinks_and_the_next_import_finds_another(tmp_path: Path) -> None:
    write(tmp_path, "a/holes.md", document("Black holes", "BBBBBBBBBBB", "a"))
    write(tmp_path, "b/holes.md", document("Black holes", "CCCCCCCCCCC", "b"))
    write(tmp_path, "a/src.md", document("Source", "AAAAAAAAAAA", "a", "[[black_holes]]"))
    import_paths([tmp_path])
    target_of("Source").delete()

    assert target_of("Source") is None
    write(tmp_path, "new.md", document("Anything", "DDDDDDDDDDD", "c"))
    import_paths([tmp_path / "new.md"])
    assert target_of("Source").channel.slug == "b"


@pytest.mark.django_db
def test_resolve_links_command_rekeys_and_resolves_existing_rows(tmp_path: Path) -> None:
    write(tmp_path, "holes.md", document("Black holes", "BBBBBBBBBBB", "a"))
    write(tmp_path, "src.md", document("Source", "AAAAAAAAAAA", "a", "[[Black-Holes]]"))
    import_paths([tmp_path])
    # As rows stand right after the migration that added the keys, before anything resolved.
    Link.objects.update(target_article=None, target_key="")
    Article.objects.update(link_key="")

    out = io.StringIO()
    call_command("resolve_links", stdout=out)

    assert target_of("Source").title == "Black holes"
    assert out.getvalue() == "3 keys updated; 1 of 1 links resolve\n"


@pytest.mark.django_db
def test_resolution_is_a_few_statements_whatever_the_number_of_links(
    tmp_path: Path, django_assert_max_num_queries
) -> None:
    body = " ".join(f"[[topic_{i}]]" for i in range(300))
    write(tmp_path, "src.md", document("Source", "AAAAAAAAAAA", "a", body))
    for i in range(0, 300, 3):
        write(tmp_path, f"t{i}.md", document(f"Topic {i}", f"T{i:010d}", "a"))
    import_paths([tmp_path])
    written = list(Article.objects.values_list("pk", flat=True))

    with django_assert_max_num_queries(3):
        resolve_links(written_article_ids=written)
    assert Link.objects.filter(target_article__isnull=False).count() == 100

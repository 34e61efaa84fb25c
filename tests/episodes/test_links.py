"""Link keys, resolution at import, and links drawn into a claim's HTML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.episodes.links import LinkTarget, render_links, resolve_links
from apps.episodes.models import Article, Link
from apps.ingest.importer import import_paths
from apps.reader.parsing import parse_document
from apps.reader.slugs import link_key, slugify

from .factories import make_article, make_episode


@pytest.mark.parametrize(
    ("written", "title"),
    [
        # Forms seen in ../shared/corpus, each against the title of the article it names.
        ("Trap Card Strategies in YuGiOh ", "Trap Card Strategies in YuGiOh"),
        ("evolution_of_ai_hardware_and_GPUs", "Evolution of AI hardware and GPUs"),
        ("black_holes and event horizons", "Black holes and event horizons"),
        (
            "ai_driven_personalization_and_applications",
            "AI-driven personalization and applications",
        ),
        ("aialignment_and_risks", "AI alignment and risks"),
        ("\u2068dwarkesh\u2069", "Dwarkesh"),
        # Forms other generators write.
        ("notes/Black_Holes.md", "Black holes"),
        ("BLACK_HOLES.MD", "Black holes"),
        ("black\u200b_holes\u00ad\ufeff", "Black holes"),
        ("\u202ablack_holes\u202c", "Black holes"),
        (
            "\uff42\uff4c\uff41\uff43\uff4b\uff3f\uff48\uff4f\uff4c\uff45\uff53",
            "Black holes",
        ),  # full width
        ("stra\u00dfe", "Strasse"),
        ("shūji_nakamuras_contributions", "Shūji Nakamura's contributions"),
        ("black_holes#formation", "Black holes"),
    ],
)
def test_link_key_matches_the_forms_a_title_is_written_in(written: str, title: str) -> None:
    assert link_key(written) == link_key(slugify(title)) != ""


def test_link_key_keeps_different_titles_apart() -> None:
    assert link_key("black_holes") != link_key("black_hole")
    assert link_key("a/b_testing") == "abtesting"  # a slash in a title is no folder


@pytest.mark.django_db
def test_an_article_saved_anywhere_gets_the_key_of_its_slug() -> None:
    article = make_article(make_episode(), slug="Black_Holes")
    assert article.link_key == "blackholes"

    article.slug = "white_holes"
    article.save(update_fields=["slug"])

    assert Article.objects.get(pk=article.pk).link_key == "whiteholes"


def test_wiki_link_to_a_markdown_file_names_the_file() -> None:
    text = "---\ntitle: T\nvideoId: abcdefghijk\n---\nFrom: [[ch]]\n\n* See [[notes/Black_Holes.md | holes]]."
    article = parse_document(text, path="t.md")

    assert [link.target_slug for link in article.links] == ["black_holes"]


def document(title: str, video_id: str, channel: str, body: str = "") -> str:
    return (
        f"---\ntitle: {title}\nvideoId: {video_id}\n---\nFrom: [[{channel}]]\n\n* {body or 'Text'}"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


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


HOLES = LinkTarget("BBBBBBBBBBB", "a-black_holes", "Black holes", "Space & time")


def test_render_links_links_resolved_and_marks_unresolved() -> None:
    html = (
        'See <span class="wikilink" data-target-slug="black_holes"><em>holes</em></span> and '
        '<span class="wikilink" data-target-slug="missing">gone</span>.'
    )

    rendered = render_links(html, {"black_holes": HOLES, "missing": None}, "AAAAAAAAAAA")

    assert rendered == (
        'See <a class="wikilink" href="/episodes/BBBBBBBBBBB/#a-black_holes" '
        'title="Black holes · Space &amp; time"><em>holes</em></a> and '
        '<span class="wikilink wikilink--unresolved" title="“missing” is not imported yet">'
        "gone</span>."
    )


def test_render_links_within_the_episode_is_an_anchor() -> None:
    html = '<span class="wikilink" data-target-slug="black_holes">holes</span>'

    assert render_links(html, {"black_holes": HOLES}, "BBBBBBBBBBB") == (
        '<a class="wikilink" href="#a-black_holes" title="Black holes">holes</a>'
    )


def test_render_links_escapes_hostile_slugs_and_titles() -> None:
    slug = '"><script>x</script>'
    hostile = LinkTarget('B"><b>', 'a-"><img src=x onerror=1>', "<script>", "</a>")
    html = f'<span class="wikilink" data-target-slug="{slug.replace(chr(34), "&quot;")}">x</span>'

    rendered = render_links(html, {slug: hostile}, "AAAAAAAAAAA")
    unresolved = render_links(html, {}, "AAAAAAAAAAA")

    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert rendered.startswith('<a class="wikilink" href="/episodes/B%22%3E%3Cb%3E/#a-%22%3E')
    assert "<script" not in unresolved
    assert 'title="“&quot;&gt;&lt;script&gt;x&lt;/script&gt;” is not imported yet"' in unresolved


def test_render_links_leaves_claims_without_links_alone() -> None:
    html = 'Plain <span class="seg" data-segment>text</span>'

    assert render_links(html, {}, "AAAAAAAAAAA") is html

"""Link keys, and links drawn into a claim's HTML."""

from __future__ import annotations

import pytest

from apps.episodes.links import LinkTarget, render_links
from apps.episodes.models import Article
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

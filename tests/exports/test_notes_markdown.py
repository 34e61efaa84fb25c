from __future__ import annotations

import re
from pathlib import Path

import pytest

from apps.annotations.models import Annotation
from apps.episodes.models import Article, Channel, Episode
from apps.episodes.outline import build_outlines
from apps.exports.notes_markdown import claim_markdown, episode_notes_markdown
from apps.ingest.importer import import_paths
from apps.reader.parsing import parse_document
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

SEED_VIDEO_ID = "Wo95ob_s_NI"

Claims = list[tuple[str, str, list[int]]]


def claims_in_page_order(episode: Episode) -> Claims:
    """(label, text, seconds) of every claim, in the order the episode page reads them."""
    return claims_of(build_outlines(Article.objects.for_episode_page(episode)))


def claims_of(outlines) -> Claims:
    found: Claims = []

    def visit_claims(nodes) -> None:
        for node in nodes:
            claim = node.claim
            found.append((claim.label, claim.text, [t.seconds for t in claim.timestamps.all()]))
            visit_claims(node.children)

    def visit_sections(nodes) -> None:
        for node in nodes:
            visit_claims(node.claims)
            visit_sections(node.children)

    for outline in outlines:
        visit_sections(outline.sections)
    return found


def import_afresh(files: dict[str, str], folder: Path) -> None:
    """Forget every episode and channel, then import `files` (name -> text) from `folder`."""
    Episode.objects.all().delete()
    Channel.objects.all().delete()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = import_paths([folder])
    assert report.errors == []


# The round trip: seed -> notes.md -> import_seeds


def test_the_seeds_notes_md_imports_back_to_the_same_claims_and_seconds(
    client, db, settings, tmp_path: Path
) -> None:
    import_paths([settings.SEEDS_DIR])
    original = Episode.objects.select_related("channel").get(video_id=SEED_VIDEO_ID)
    expected = claims_in_page_order(original)
    response = client.get(f"/episodes/{SEED_VIDEO_ID}/notes.md")

    import_afresh({"notes.md": response.content.decode()}, tmp_path)

    episode = Episode.objects.get(video_id=SEED_VIDEO_ID)
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert len(expected) > 20
    assert claims_in_page_order(episode) == expected
    assert episode.channel.slug == original.channel.slug
    assert episode.articles.get().title == original.display_title


def test_an_episode_of_several_articles_imports_back_as_one_article_with_all_claims(
    client, db, tmp_path: Path
) -> None:
    episode = make_episode(video_id="several0001", title="Several")
    first = make_article(episode, title="First")
    part = make_section(first, title="Part *one*")
    parent = make_claim(first, section=part, text="A parent", label="Lead", seconds=[5])
    make_claim(first, parent=parent, text="A child", seconds=[7, 9])
    second = make_article(episode, title="Second")
    make_claim(second, text="Opening paragraph", kind="paragraph", seconds=[30])
    make_claim(second, text="> not a quote, # nor a heading", kind="paragraph")
    make_claim(second, text="A quoted line", kind="quote", seconds=[40])
    expected = claims_in_page_order(episode)

    import_afresh(
        {"notes.md": client.get("/episodes/several0001/notes.md").content.decode()}, tmp_path
    )

    assert claims_in_page_order(Episode.objects.get(video_id="several0001")) == expected


@pytest.mark.corpus
def test_every_corpus_episode_round_trips_through_notes_md(corpus_dir: Path, db) -> None:
    # The import of the exported files is read at the parser (what `import_seeds` writes is
    # what it parses; the tests above take the whole way through the database).
    import_paths([corpus_dir])
    differing = []
    episodes = Episode.objects.select_related("channel")
    for episode in episodes:
        outlines = build_outlines(Article.objects.for_episode_page(episode))
        document = episode_notes_markdown(
            title=episode.display_title,
            video_id=episode.video_id,
            channel_slug=episode.channel.slug if episode.channel else None,
            channel_name=episode.channel.name if episode.channel else None,
            outlines=outlines,
        )
        read_back = parse_document(document, path=f"{episode.video_id}.md")
        if comparable(parsed_claims(read_back.sections)) != comparable(claims_of(outlines)):
            differing.append(episode.video_id)
    assert episodes.count() > 400
    assert differing == []


def parsed_claims(sections) -> Claims:
    found: Claims = []

    def visit_claims(claims) -> None:
        for claim in claims:
            found.append((claim.label, claim.text, [t.seconds for t in claim.timestamps]))
            visit_claims(claim.children)

    def visit_sections(nodes) -> None:
        for node in nodes:
            visit_claims(node.claims)
            visit_sections(node.children)

    visit_sections(sections)
    return found


def comparable(claims: Claims) -> Claims:
    # One allowance: a claim whose wiki link wrapped a timestamp's brackets
    # ("context [[slug|([02:18:04])]].") comes back without the space the parser left before
    # the full stop ("context ." -> "context."). Everything else must match exactly.
    return [(label, re.sub(r" +([.,;:])", r"\1", text), seconds) for label, text, seconds in claims]


# The reader's own notes


def test_signed_in_notes_md_carries_the_readers_notes_under_their_claims(client, db) -> None:
    episode = make_episode(video_id="withnotes01", title="With notes")
    article = make_article(episode)
    claim = make_claim(
        article, section=make_section(article, title="Part"), text="Said", seconds=[65]
    )
    reader, someone_else = make_user("reader"), make_user("other")
    make_annotation(
        reader, claim=claim, seconds=65, body="My **first** thought\n\nand a second line"
    )
    make_annotation(reader, episode=episode, seconds=3725, body="At a moment of no claim")
    make_annotation(
        someone_else, claim=claim, body="Not mine", visibility=Annotation.Visibility.PUBLIC
    )
    client.force_login(reader)

    document = client.get("/episodes/withnotes01/notes.md").content.decode()
    without = client.get("/episodes/withnotes01/notes.md?notes=0").content.decode()

    claim_line = '*   Said <a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>'
    assert (
        f"{claim_line}\n\n    > [!note] Note · 1:05 · private\n"
        "    > My **first** thought\n    >\n    > and a second line\n"
    ) in document
    assert "## Notes at other moments\n\n> [!note] Note · 1:02:05 · private\n" in document
    assert "> At a moment of no claim" in document
    assert "Not mine" not in document
    assert "[!note]" not in without
    assert claim_line in without


def test_notes_md_for_someone_signed_out_has_no_notes_and_varies_by_cookie(client, db) -> None:
    episode = make_episode(video_id="publicnote1")
    claim = make_claim(make_article(episode), text="Said", seconds=[1])
    make_annotation(
        make_user(), claim=claim, body="Public", visibility=Annotation.Visibility.PUBLIC
    )

    response = client.get("/episodes/publicnote1/notes.md")

    assert "[!note]" not in response.content.decode()
    assert "Cookie" in response["Vary"]
    assert client.get("/episodes/nosuchvideo/notes.md").status_code == 404


def test_the_document_opens_with_front_matter_and_the_channel(client, db) -> None:
    episode = make_episode(video_id="frontmatter", title='A "quoted": title')
    make_claim(make_article(episode, title="Only"), text="Said", seconds=[1])

    document = client.get("/episodes/frontmatter/notes.md").content.decode()
    parsed = parse_document(document, path="notes.md")

    assert document.startswith('---\ntitle: "A \\"quoted\\": title"\nvideoId: frontmatter\n---\n')
    assert parsed.title == 'A "quoted": title'
    assert parsed.video_id == "frontmatter"
    assert parsed.warnings == []


# Inline HTML back to Markdown


@pytest.mark.parametrize(
    ("claim_html", "markdown"),
    [
        ("<strong>Label</strong>: plain", "**Label**: plain"),
        ("<em>it</em> and <del>gone</del>", "*it* and ~~gone~~"),
        ("<strong>spaced </strong>word", "**spaced** word"),
        ("a * b _c_ [d] `e` \\ f &amp; &lt;g&gt;", r"a \* b \_c\_ \[d\] \`e\` \\ f \& \<g>"),
        ("<code>x`y</code>", "``x`y``"),
        (
            '<span class="wikilink" data-target-slug="some_topic">a topic</span>',
            "[[some_topic | a topic]]",
        ),
        (
            '<a href="https://e.com/a b" rel="noopener nofollow">site</a>',
            "[site](https://e.com/a%20b)",
        ),
        (
            '<span class="seg" data-segment>Said <a class="ts" href="https://www.youtube.com/'
            'watch?v=x&amp;t=3725s" data-seconds="3725">1:02:05</a></span> then',
            'Said <a class="yt-timestamp" data-t="01:02:05">[01:02:05]</a> then',
        ),
        ("first<br>second", "first<br>second"),
    ],
)
def test_claim_html_becomes_the_markdown_the_parser_reads(claim_html: str, markdown: str) -> None:
    assert claim_markdown(claim_html) == markdown

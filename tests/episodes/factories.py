"""Small `make_*` helpers for test data, shaped like what the importer writes."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import count

from apps.episodes.models import Article, Channel, Claim, Episode, Link, Section, Timestamp
from apps.reader.slugs import link_key
from apps.reader.timecode import format_timecode
from apps.search.indexing import index_article

_sequence = count(1)


def timestamp_html(video_id: str, seconds: int) -> str:
    return (
        f'<a class="ts" href="https://www.youtube.com/watch?v={video_id}&amp;t={seconds}s" '
        f'data-seconds="{seconds}">{format_timecode(seconds)}</a>'
    )


def claim_html(
    video_id: str, segments: Sequence[tuple[str, Sequence[int]]], *, label: str = "", tail: str = ""
) -> str:
    """The importer's inline HTML: one segment span per run of text ending in timestamps."""
    parts = [f"<strong>{escape(label)}</strong>: "] if label else []
    for text, seconds in segments:
        links = ", ".join(timestamp_html(video_id, second) for second in seconds)
        parts.append(f'<span class="seg" data-segment>{escape(text)} {links}</span> ')
    parts.append(escape(tail))
    return "".join(parts).strip()


def make_channel(*, slug: str = "", name: str = "") -> Channel:
    slug = slug or f"channel-{next(_sequence)}"
    return Channel.objects.create(slug=slug, name=name or slug.replace("-", " ").title())


def make_episode(*, video_id: str = "", channel: Channel | None = None, title: str = "") -> Episode:
    video_id = video_id or f"vid{next(_sequence):08d}"
    return Episode.objects.create(video_id=video_id, channel=channel, title=title)


def make_article(
    episode: Episode, *, title: str = "", slug: str = "", channel: Channel | None = None
) -> Article:
    number = next(_sequence)
    return Article.objects.create(
        episode=episode,
        channel=channel if channel is not None else episode.channel,
        slug=slug or f"article-{number}",
        title=title or f"Article {number}",
        source_path=f"seeds/article-{number}.md",
        source_sha256="0" * 64,
    )


def make_section(
    article: Article,
    *,
    title: str = "",
    level: int = 2,
    parent: Section | None = None,
    position: int | None = None,
) -> Section:
    if position is None:
        position = article.sections.count()
    return Section.objects.create(
        article=article, parent=parent, level=level, title=title, position=position
    )


def make_claim(
    article: Article,
    *,
    section: Section | None = None,
    parent: Claim | None = None,
    text: str = "A claim",
    label: str = "",
    seconds: Sequence[int] = (),
    kind: str = Claim.Kind.ITEM,
    position: int | None = None,
) -> Claim:
    """One claim whose text is a single segment ending in `seconds` (if any)."""
    video_id = article.episode.video_id
    html = claim_html(video_id, [(text, seconds)], label=label) if seconds else escape(text)
    if label and not seconds:
        html = f"<strong>{escape(label)}</strong>: {html}"
    if position is None:
        position = article.claims.count()
    claim = Claim.objects.create(
        article=article,
        section=section or (parent.section if parent else None),
        parent=parent,
        kind=kind,
        label=label,
        text=text,
        html=html,
        position=position,
        depth=parent.depth + 1 if parent else 0,
        key=f"key-{next(_sequence)}",
    )
    Timestamp.objects.bulk_create(
        Timestamp(claim=claim, episode=article.episode, seconds=second, position=i)
        for i, second in enumerate(seconds)
    )
    return claim


def make_two_claim_episode(video_id: str) -> Episode:
    """An episode of unknown length (as every imported one is) with claims at 1:00 and 12:30."""
    episode = make_episode(video_id=video_id, title="Review")
    article = make_article(episode)
    make_claim(article, text="Early", seconds=[60])
    make_claim(article, text="Later", seconds=[750])
    return episode


def make_long_article(episode: Episode, *, claims: int, sections: int = 10) -> Article:
    """An article with `claims` timestamped claims spread over nested sections, in bulk."""
    article = make_article(episode)
    top = [
        make_section(article, title=f"Part {i}", level=2, position=i * 2) for i in range(sections)
    ]
    nested = [
        make_section(article, title=f"Part {i} detail", level=3, parent=parent, position=i * 2 + 1)
        for i, parent in enumerate(top)
    ]
    all_sections = [s for pair in zip(top, nested, strict=True) for s in pair]
    rows = []
    for i in range(claims):
        seconds = i * 7
        rows.append(
            Claim(
                article=article,
                section=all_sections[i * len(all_sections) // claims],
                kind=Claim.Kind.ITEM,
                text=f"Claim number {i}",
                html=claim_html(episode.video_id, [(f"Claim number {i}", [seconds])]),
                position=i,
                key=f"bulk-{article.pk}-{i}",
            )
        )
    created = Claim.objects.bulk_create(rows)
    Timestamp.objects.bulk_create(
        Timestamp(claim=claim, episode=episode, seconds=i * 7, position=0)
        for i, claim in enumerate(created)
    )
    # Every tenth claim gets a nested child, so the tree has depth too.
    parents = created[::10]
    Claim.objects.filter(pk__in=[claim.pk for claim in created[1::10]]).update(depth=1)
    for parent, child in zip(parents, created[1::10], strict=False):
        child.parent = parent
    Claim.objects.bulk_update(created[1::10], ["parent"])
    # Bulk writes send no signals: index the claims as the importer does.
    index_article(article.pk)
    return article


def wikilink_html(target_slug: str, text: str) -> str:
    """The span the parser writes for `[[target_slug | text]]`."""
    return f'<span class="wikilink" data-target-slug="{escape(target_slug)}">{escape(text)}</span>'


def make_link(
    article: Article, target_slug: str, *, text: str = "", target: Article | None = None
) -> Claim:
    """A claim of `article` whose text links to `target_slug`, and its Link row, as imported."""
    text = text or target_slug
    claim = make_claim(article, text=f"See {text}.")
    claim.html = f"See {wikilink_html(target_slug, text)}."
    claim.save(update_fields=["html"])
    Link.objects.create(
        article=article,
        target_slug=target_slug,
        target_key=link_key(target_slug),
        text=text,
        target_article=target,
    )
    return claim

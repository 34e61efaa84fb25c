"""Links between articles as the episode page draws them, and the pages they connect.

Claims keep the HTML the parser wrote, `<span class="wikilink" data-target-slug="…">`; the
page turns each span into a link from the `Link` rows it loads in one query. The import
resolves those rows (`apps.ingest.links`), so a link whose target arrives in a later import
starts working without its own article being re-imported. Nothing here writes.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.db import connection
from django.urls import reverse

from apps.episodes.models import Article, Episode, Link

MENTIONS_SHOWN = 5
RELATED_EPISODES_SHOWN = 5

_WIKILINK_OPEN = re.compile(r'<span class="wikilink" data-target-slug="([^"]*)">')
_SPAN_TAG = re.compile(r"<(/?)span\b")


@dataclass(frozen=True, slots=True)
class LinkTarget:
    video_id: str
    anchor: str
    title: str
    episode_title: str


def link_targets(episode: Episode) -> dict[tuple[int, str], LinkTarget | None]:
    """Where each link of the episode's articles goes, by (article id, target slug): one query."""
    rows = Link.objects.filter(article__episode=episode).values_list(
        "article_id",
        "target_slug",
        "target_article__slug",
        "target_article__title",
        "target_article__episode__video_id",
        "target_article__episode__title",
    )
    return {
        (article_id, slug): (
            LinkTarget(video_id, f"a-{target_slug}", title, episode_title or f"Episode {video_id}")
            if video_id is not None
            else None
        )
        for article_id, slug, target_slug, title, video_id, episode_title in rows
    }


def render_links(
    claim_html: str, targets: dict[str, LinkTarget | None], current_video_id: str
) -> str:
    """The claim's wiki link spans as links to their articles, or marked as not imported."""
    if "wikilink" not in claim_html:
        return claim_html
    out: list[str] = []
    position = 0
    for match in _WIKILINK_OPEN.finditer(claim_html):
        if match.start() < position:
            continue  # a link written inside another link's text, already copied
        end, close = _closing_span(claim_html, match.end())
        if end < 0:
            break
        inner = claim_html[match.end() : end]
        slug = html.unescape(match.group(1))
        out.append(claim_html[position : match.start()])
        out.append(_link_html(slug, inner, targets.get(slug), current_video_id))
        position = close
    out.append(claim_html[position:])
    return "".join(out)


def _closing_span(text: str, start: int) -> tuple[int, int]:
    """Where the span opened just before `start` closes: (start, end) of its `</span>`."""
    depth = 1
    for tag in _SPAN_TAG.finditer(text, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start(), text.index(">", tag.end()) + 1
    return -1, -1


def _link_html(slug: str, inner: str, target: LinkTarget | None, current_video_id: str) -> str:
    if target is None:
        title = html.escape(f"“{slug}” is not imported yet")
        return f'<span class="wikilink wikilink--unresolved" title="{title}">{inner}</span>'
    if "<a" in inner:
        # A link cannot hold another (a timestamp); its text stays as written.
        return f'<span class="wikilink">{inner}</span>'
    href = "#" + quote(target.anchor)
    title = target.title
    if target.video_id != current_video_id:
        href = reverse("episodes:episode", args=[target.video_id]) + href
        title = f"{target.title} · {target.episode_title}"
    return (
        f'<a class="wikilink" href="{html.escape(href)}" title="{html.escape(title)}">{inner}</a>'
    )


def link_claims(articles: Iterable[Article], episode: Episode) -> None:
    """Give the prefetched claims of `articles` their links, as the page shows them."""
    targets = link_targets(episode)
    by_article: dict[int, dict[str, LinkTarget | None]] = defaultdict(dict)
    for (article_id, slug), target in targets.items():
        by_article[article_id][slug] = target
    for article in articles:
        article_targets = by_article.get(article.pk, {})
        for claim in article.claims.all():
            if "wikilink" in claim.html:
                claim.html = render_links(claim.html, article_targets, episode.video_id)


@dataclass(frozen=True, slots=True)
class Mention:
    """An article elsewhere that links to one of the page's articles."""

    title: str
    url: str
    episode_title: str


@dataclass(frozen=True, slots=True)
class Mentions:
    shown: list[Mention]
    more: int


def mentions_of(episode: Episode) -> dict[int, Mentions]:
    """Per article of the episode, the articles of other episodes linking to it: one query.

    Articles of the same episode are left out: they are on the page already.
    """
    rows = (
        Link.objects.filter(target_article__episode=episode)
        .exclude(article__episode=episode)
        .values_list(
            "target_article_id",
            "article__slug",
            "article__title",
            "article__episode__video_id",
            "article__episode__title",
        )
        .order_by("target_article_id", "article__episode__title", "article__title", "article_id")
        .distinct()
    )
    found: dict[int, list[Mention]] = defaultdict(list)
    seen: set[tuple[int, str, str]] = set()
    for target_id, slug, title, video_id, episode_title in rows:
        if (target_id, video_id, slug) in seen:
            continue
        seen.add((target_id, video_id, slug))
        url = reverse("episodes:episode", args=[video_id]) + "#" + quote(f"a-{slug}")
        found[target_id].append(Mention(title, url, episode_title or f"Episode {video_id}"))
    return {
        target_id: Mentions(mentions[:MENTIONS_SHOWN], max(0, len(mentions) - MENTIONS_SHOWN))
        for target_id, mentions in found.items()
    }


def related_episodes(episode: Episode, limit: int = RELATED_EPISODES_SHOWN) -> list[Episode]:
    """The episodes sharing the most links with `episode`, each with `shared_links`: one query.

    An episode "reaches" the articles its articles link to, and its own articles. Two
    episodes share one link per article both reach: an article both link to, or an article of
    one that the other links to (a direct link, in either direction). Most shared first, ties
    by newest import.
    """
    link, article, episode_table = (
        connection.ops.quote_name(model._meta.db_table) for model in (Link, Article, Episode)
    )
    reached = f"""
        SELECT l.target_article_id FROM {link} l JOIN {article} s ON s.id = l.article_id
        WHERE s.episode_id = %s AND l.target_article_id IS NOT NULL
        UNION SELECT id FROM {article} WHERE episode_id = %s"""
    shared = f"""
        SELECT s.episode_id AS episode_id, l.target_article_id AS article_id
        FROM {link} l JOIN {article} s ON s.id = l.article_id
        WHERE l.target_article_id IN ({reached})
        UNION
        SELECT t.episode_id, t.id
        FROM {link} l JOIN {article} s ON s.id = l.article_id
        JOIN {article} t ON t.id = l.target_article_id
        WHERE s.episode_id = %s"""
    query = f"""
        SELECT e.*, r.shared_links FROM {episode_table} e JOIN (
            SELECT episode_id, COUNT(*) AS shared_links FROM ({shared}) pairs
            WHERE episode_id <> %s GROUP BY episode_id
        ) r ON r.episode_id = e.id
        ORDER BY r.shared_links DESC, e.imported DESC, e.id DESC"""
    pk = episode.pk
    # LIMIT as a literal: SQLite and PostgreSQL both take it, and it is an int.
    return list(Episode.objects.raw(f"{query} LIMIT {int(limit)}", [pk, pk, pk, pk]))

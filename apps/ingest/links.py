"""Links between articles: written with the article they leave, resolved once an import ends.

A link names its target by slug; it goes to the article whose `link_key` equals its
`target_key`. Resolving after every import (and on `manage.py resolve_links`) is what lets a
link whose target arrives later start working without its own article being re-imported.
The episode page draws the resolved links (`apps.episodes.links`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from apps.episodes.models import Article, ContentVersion, Link
from apps.ingest import rows
from apps.reader.prepared import LinkRow
from apps.reader.slugs import link_key

# Ids per statement when an import names the articles it wrote (see `rows.MAX_QUERY_PARAMETERS`).
IDS_PER_STATEMENT = 5_000


def insert_links(article_id: int, links: list[LinkRow]) -> None:
    """The article's links, unresolved until `resolve_links` runs at the end of the import."""
    rows.insert_rows(
        Link,
        ["article_id", "target_slug", "target_key", "text"],
        [
            (
                article_id,
                rows.fit(link.target_slug, Link, "target_slug"),
                link_key(link.target_slug),
                rows.fit(link.text, Link, "text"),
            )
            for link in links
        ],
    )


def resolve_links(*, written_article_ids: Iterable[int] | None = None) -> None:
    """Point links at the article they name, in a few UPDATE statements, never one per link.

    A link goes to an article whose `link_key` equals its `target_key`: one in the linking
    article's own channel if there is any, else one in any channel; the oldest among equals.
    With `written_article_ids` (the articles an import run wrote) only the links that may have
    changed are visited: those pointing at or naming a written article (whose title, and so
    key, may have changed, or which may be a better match than the current target), and the
    unresolved. Without it every link is resolved again.
    """
    if written_article_ids is None:
        Link.objects.update(target_article=None)
    else:
        _unresolve_links_to(written_article_ids)
    # Only unresolved links naming some article are visited: the many that name nothing
    # imported cost an index probe each. SQLite lets no subquery's ORDER BY refer to the row
    # being updated, so "same channel first" is two statements rather than one ordering.
    source_channel = Article.objects.filter(pk=OuterRef(OuterRef("article_id"))).values(
        "channel_id"
    )[:1]
    same_name = Article.objects.filter(link_key=OuterRef("target_key")).exclude(link_key="")
    for candidates in (same_name.filter(channel_id=Subquery(source_channel)), same_name):
        Link.objects.filter(
            target_article__isnull=True,
            target_key__in=Article.objects.exclude(link_key="").values("link_key"),
        ).update(target_article=Subquery(candidates.order_by("pk").values("pk")[:1]))


def _unresolve_links_to(article_ids: Iterable[int]) -> None:
    """Unresolve the links that point at or name these articles, to be resolved again."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        chunk = ids[start : start + IDS_PER_STATEMENT]
        keys = Article.objects.filter(pk__in=chunk).values("link_key")
        Link.objects.filter(Q(target_article_id__in=chunk) | Q(target_key__in=keys)).update(
            target_article=None
        )


def rekey_links() -> int:
    """Recompute every article's and link's key (after `slugs.link_key` changed); return how
    many changed. One UPDATE per distinct key that changed, so usually none."""
    changed = 0
    for model, source, key in ((Article, "slug", "link_key"), (Link, "target_slug", "target_key")):
        stale: dict[str, set[str]] = defaultdict(set)
        for value, old_key in model.objects.values_list(source, key).distinct().iterator():
            if link_key(value) != old_key:
                stale[link_key(value)].add(value)
        for new_key, values in stale.items():
            changed += model.objects.filter(**{f"{source}__in": values}).update(**{key: new_key})
    return changed


class RelinkReport(NamedTuple):
    rekeyed: int  # article and link keys that changed
    resolved: int  # links that reach an article
    links: int


def relink_everything() -> RelinkReport:
    """Key and resolve every link again, e.g. after a migration or a change to `link_key`."""
    with transaction.atomic():
        rekeyed = rekey_links()
        resolve_links()
        # UPDATEs send no signals: pages kept with the old links must go.
        ContentVersion.bump()
    resolved = Link.objects.filter(target_article__isnull=False).count()
    return RelinkReport(rekeyed, resolved, Link.objects.count())

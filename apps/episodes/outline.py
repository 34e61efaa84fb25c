"""An article's sections and claims as the nested tree the episode page draws.

The rows arrive flat from `Article.objects.for_episode_page()` (prefetched, ordered by
position); this module only links them up, in one pass and without touching the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import Article, Claim, Section

# The episode title is the page's h1 and each article title an h2, so top-level sections
# start at h3; deeper ones stop at h6, the deepest heading HTML has.
TOP_SECTION_HEADING = 3
DEEPEST_HEADING = 6


@dataclass(slots=True)
class ClaimNode:
    claim: Claim
    children: list[ClaimNode] = field(default_factory=list)
    annotations: list[Any] = field(default_factory=list)  # the reader's visible notes on it
    annotation_count: int = 0  # how many there are in all, when the page shows only some


@dataclass(slots=True)
class SectionNode:
    section: Section | None  # None holds claims that belong to no section
    heading_level: int = 0  # 0 when the section has no title (and so no heading)
    claims: list[ClaimNode] = field(default_factory=list)
    children: list[SectionNode] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.section.title if self.section else ""


@dataclass(slots=True)
class ArticleOutline:
    article: Article
    sections: list[SectionNode]
    claim_count: int
    first_second: int | None = None  # the article's time span, None when nothing is timed
    last_second: int | None = None


def build_outline(
    article: Article,
    annotations_by_claim: dict[int, list[Any]] | None = None,
    annotation_counts: Mapping[int, int] | None = None,
) -> ArticleOutline:
    """Nest the article's prefetched sections by parent and its claims by parent."""
    sections: list[Section] = list(article.sections.all())
    claims: list[Claim] = list(article.claims.all())
    seconds = [timestamp.seconds for claim in claims for timestamp in claim.timestamps.all()]
    return ArticleOutline(
        article=article,
        sections=_nest(sections, claims, annotations_by_claim or {}, annotation_counts or {}),
        claim_count=len(claims),
        first_second=min(seconds, default=None),
        last_second=max(seconds, default=None),
    )


def build_outlines(
    articles: Iterable[Article],
    annotations: Iterable[Any] = (),
    annotation_counts: Mapping[int, int] | None = None,
) -> list[ArticleOutline]:
    """Outlines of the articles, each claim carrying its `annotations` (anything with claim_id).

    `annotation_counts` says how many notes a claim has when `annotations` holds only some.
    """
    annotations_by_claim: dict[int, list[Any]] = defaultdict(list)
    for annotation in annotations:
        annotations_by_claim[annotation.claim_id].append(annotation)
    return [build_outline(article, annotations_by_claim, annotation_counts) for article in articles]


def _nest(
    sections: list[Section],
    claims: list[Claim],
    annotations_by_claim: dict[int, list[Any]],
    annotation_counts: Mapping[int, int],
) -> list[SectionNode]:
    section_nodes = {section.pk: SectionNode(section) for section in sections}
    roots: list[SectionNode] = []
    for section in sections:
        parent = section_nodes.get(section.parent_id)
        (parent.children if parent else roots).append(section_nodes[section.pk])

    unsectioned = SectionNode(None)
    claim_nodes = {}
    for claim in claims:
        notes = annotations_by_claim.get(claim.pk, [])
        count = annotation_counts.get(claim.pk, len(notes))
        claim_nodes[claim.pk] = ClaimNode(claim, annotations=notes, annotation_count=count)
    for claim in claims:
        node = claim_nodes[claim.pk]
        parent_claim = claim_nodes.get(claim.parent_id)
        if parent_claim is not None:
            parent_claim.children.append(node)
        else:
            section_node = section_nodes.get(claim.section_id, unsectioned)
            section_node.claims.append(node)

    if unsectioned.claims:
        roots.insert(0, unsectioned)
    _assign_heading_levels(roots, TOP_SECTION_HEADING)
    return roots


def _assign_heading_levels(nodes: list[SectionNode], level: int) -> None:
    # Iterative, so a pathological depth of nesting cannot exhaust the stack.
    stack = [(node, level) for node in reversed(nodes)]
    while stack:
        node, level = stack.pop()
        titled = bool(node.title)
        node.heading_level = min(level, DEEPEST_HEADING) if titled else 0
        child_level = level + 1 if titled else level
        stack.extend((child, child_level) for child in reversed(node.children))

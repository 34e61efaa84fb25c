"""Finding claims by their words: the one place search is decided.

For now a claim matches when every word of the query appears in its label or text, ignoring
case. Full-text search replaces `claims_matching` (and so the search endpoint and the `q`
filter of the claims endpoint together) without touching its callers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from apps.episodes.models import Claim

# Enough words for any real question; bounded so a pasted page cannot build a huge query.
MAX_WORDS = 10
SNIPPET_LENGTH = 200


def query_words(query: str) -> list[str]:
    return query.split()[:MAX_WORDS]


def claims_matching(query: str, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """The claims whose label or text contain every word of `query`, ignoring case."""
    claims = Claim.objects.all() if claims is None else claims
    words = query_words(query)
    if not words:
        return claims.none()
    for word in words:
        claims = claims.filter(Q(label__icontains=word) | Q(text__icontains=word))
    return claims


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: int
    video_id: str
    seconds: int | None
    snippet: str
    path: str


def snippet(text: str, query: str, length: int = SNIPPET_LENGTH) -> str:
    """A window of `text` around the first word of `query` it contains."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    lowered = text.lower()
    found = [lowered.find(word.lower()) for word in query_words(query)]
    first = min((at for at in found if at >= 0), default=0)
    start = max(0, min(first - length // 4, len(text) - length))
    window = text[start : start + length].strip()
    return ("…" if start > 0 else "") + window + ("…" if start + length < len(text) else "")


class SearchResults:
    """Claim hits for `query`, sliced and counted in the database like a QuerySet."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.claims = (
            claims_matching(query)
            .select_related("article__episode")
            .prefetch_related("timestamps")
            .order_by("article__episode_id", "article_id", "position")
        )

    def count(self) -> int:
        return self.claims.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[SearchHit]:
        return [self._claim_hit(claim) for claim in self.claims[window]]

    def _claim_hit(self, claim: Claim) -> SearchHit:
        first = next((timestamp.seconds for timestamp in claim.timestamps.all()), None)
        episode = claim.article.episode
        moment = f"?t={first}" if first is not None else ""
        label = f"{claim.label}: " if claim.label else ""
        return SearchHit(
            kind="claim",
            id=claim.pk,
            video_id=episode.video_id,
            seconds=first,
            snippet=snippet(label + claim.text, self.query),
            path=f"{episode.get_absolute_url()}{moment}#{claim.anchor}",
        )


def search(query: str) -> SearchResults:
    """Everything matching `query`, episode by episode in the order of their notes."""
    return SearchResults(query)

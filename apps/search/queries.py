"""Finding claims and notes by their words: the one place search is decided.

`search(query, user=...)` ranks claims and the annotations `user` may see (public ones and
their own) with the database's full-text index: SQLite FTS5 with bm25, PostgreSQL tsvector
with ts_rank, titles weighted above labels above body text. Query syntax is in `text.py`.
`claims_matching` narrows any claim QuerySet the same way (the claims endpoint's `q`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.models import Annotation
from apps.episodes.models import Claim, Timestamp

from .text import Term, fts5_query, highlight_spans, parse_query, tsquery

SNIPPET_LENGTH = 200
# Relative weights of a document's columns: titles, then the claim's label, then its text.
_BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"


def query_words(query: str) -> list[str]:
    """The terms of `query` as the index reads them; empty when nothing is searchable."""
    return [" ".join(term.words) for term in parse_query(query)]


def _matches(terms: list[Term], user=None, kind: str | None = None) -> tuple[str, str, list]:
    """FROM/WHERE clauses for documents matching every term, and an ascending rank column."""
    author_id = user.pk if user is not None and user.is_authenticated else None
    visible = "(d.public OR d.author_id = %s)"
    params: list = []
    if connection.vendor == "postgresql":
        sql = (
            "FROM search_searchdocument d, to_tsquery('simple', %s) AS query "
            f"WHERE d.vector @@ query AND {visible}"
        )
        rank = "-ts_rank(d.vector, query)"
        params = [tsquery(terms), author_id]
    else:
        sql = (
            "FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {visible}"
        )
        rank = _BM25
        params = [fts5_query(terms), author_id]
    if kind is not None:
        sql += " AND d.kind = %s"
        params.append(kind)
    return sql, rank, params


def claims_matching(query: str, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """The claims (of `claims`, default all) matching `query` by the full-text index."""
    claims = Claim.objects.all() if claims is None else claims
    terms = parse_query(query)
    if not terms:
        return claims.none()
    sql, _rank, params = _matches(terms, kind="claim")
    return claims.filter(pk__in=RawSQL(f"SELECT d.claim_id {sql}", params))


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: int
    video_id: str
    seconds: int | None
    snippet: str
    path: str
    episode_title: str = ""
    heading: str = ""  # the article of a claim, or "Note"
    highlighted: str = ""  # the snippet as SafeString, matches in <mark>, escaped


def snippet_window(text: str, terms: list[Term], length: int = SNIPPET_LENGTH) -> str:
    """A window of `text` around the first match of `terms`, with … where it was cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    spans = highlight_spans(text, terms, first_only=True)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - length // 4, len(text) - length))
    window = text[start : start + length].strip()
    return ("…" if start > 0 else "") + window + ("…" if start + length < len(text) else "")


def highlight(text: str, terms: list[Term]) -> SafeString:
    """`text` escaped, each matching word wrapped in <mark>."""
    parts, position = [], 0
    for start, end in highlight_spans(text, terms):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece of text above is escaped


class SearchResults:
    """Ranked hits for `query`, sliced and counted in the database like a QuerySet."""

    def __init__(self, query: str, user=None) -> None:
        self.query = query
        self.terms = parse_query(query)
        self.user = user
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            if not self.terms:
                self._count = 0
            else:
                sql, _rank, params = _matches(self.terms, self.user)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT count(*) {sql}", params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[SearchHit]:
        if not isinstance(window, slice):
            return self[window : window + 1][0]
        start = window.start or 0
        stop = window.stop
        if not self.terms or (stop is not None and stop <= start):
            return []
        sql, rank, params = _matches(self.terms, self.user)
        limit = stop - start if stop is not None else -1 if connection.vendor == "sqlite" else None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.kind, d.claim_id, d.annotation_id {sql} "
                f"ORDER BY {rank}, d.id LIMIT %s OFFSET %s",
                [*params, limit, start],
            )
            rows = cursor.fetchall()
        claims = (
            Claim.objects.select_related("article__episode")
            .prefetch_related(Prefetch("timestamps", Timestamp.objects.order_by("position")))
            .in_bulk([claim_id for kind, claim_id, _ in rows if kind == "claim"])
        )
        notes = Annotation.objects.select_related("episode").in_bulk(
            [note_id for kind, _, note_id in rows if kind == "annotation"]
        )
        hits = []
        for kind, claim_id, note_id in rows:
            if kind == "claim" and claim_id in claims:
                hits.append(self._claim_hit(claims[claim_id]))
            elif kind == "annotation" and note_id in notes:
                hits.append(self._annotation_hit(notes[note_id]))
        return hits

    def _claim_hit(self, claim: Claim) -> SearchHit:
        seconds = next((timestamp.seconds for timestamp in claim.timestamps.all()), None)
        episode = claim.article.episode
        moment = f"?t={seconds}" if seconds is not None else ""
        label = f"{claim.label}: " if claim.label else ""
        snippet = snippet_window(label + claim.text, self.terms)
        return SearchHit(
            kind="claim",
            id=claim.pk,
            video_id=episode.video_id,
            seconds=seconds,
            snippet=snippet,
            path=f"{episode.get_absolute_url()}{moment}#{claim.anchor}",
            episode_title=episode.display_title,
            heading=claim.article.title,
            highlighted=highlight(snippet, self.terms),
        )

    def _annotation_hit(self, note: Annotation) -> SearchHit:
        snippet = snippet_window(note.body, self.terms)
        return SearchHit(
            kind="annotation",
            id=note.pk,
            video_id=note.episode.video_id,
            seconds=note.seconds,
            snippet=snippet,
            path=note.moment_url,
            episode_title=note.episode.display_title,
            heading="Note",
            highlighted=highlight(snippet, self.terms),
        )


def search(query: str, user=None) -> SearchResults:
    """Claims and the notes `user` may see matching `query`, best first."""
    return SearchResults(query, user)

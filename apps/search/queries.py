"""Finding claims and notes by their words: the one place search is decided.

`search(query, user=...)` ranks claims and the annotations `user` may see (public ones and
their own) with the database's full-text index (`backends`), titles weighted above labels
above body text. Query syntax is in `text.py`.
`claims_matching` and `episodes_matching` narrow any claim or episode QuerySet the same way
(the `q` of the claims and episodes endpoints).

At most `MAX_HITS` hits are ranked and counted: a broad query ("th" as someone starts to
type) matches a large part of the index, and ranking or counting all of it would take longer
than the rest of the request together. Such results say `capped`; their hits are the best of
the first `MAX_HITS` matches the index yields, and one more word narrows them.

`tag:name` in a query keeps only the notes with that tag (several: all of them); alone, it
lists them newest first, with no words to rank by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.models import Annotation, Tag
from apps.annotations.rendering import plain_text
from apps.episodes.models import Article, Claim, Episode, moment_url
from apps.search.backends import get_backend
from apps.search.text import Term, highlight_spans, parse_query

SNIPPET_LENGTH = 200
MAX_HITS = 500


_TAG_TERM = re.compile(r"(?<!\S)tag:#?([A-Za-z0-9-]{1,40})(?!\S)", re.IGNORECASE)


def split_tags(query: str) -> tuple[str, list[str]]:
    """The query without its `tag:name` terms, and those tags (lower-cased, once each)."""
    tags = list(dict.fromkeys(tag.lower() for tag in _TAG_TERM.findall(query or "")))
    return _TAG_TERM.sub(" ", query or ""), tags


def query_words(query: str) -> list[str]:
    """The terms of `query` as the index reads them; empty when nothing is searchable."""
    return [" ".join(term.words) for term in parse_query(query)]


def _author_id(user) -> int | None:
    """Whose notes besides public ones `user` may find: their own, if signed in."""
    return user.pk if user is not None and user.is_authenticated else None


def claims_matching(query: str, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """The claims (of `claims`, default all) matching `query` by the full-text index."""
    return _narrowed(Claim.objects.all() if claims is None else claims, query, "claim_id")


def episodes_matching(query: str, episodes: QuerySet[Episode] | None = None) -> QuerySet[Episode]:
    """The episodes (of `episodes`, default all) with a claim matching `query`.

    A claim's document holds its episode's and article's titles too, so the words may be
    spread over the titles and the claim's text; an episode without claims is not found.
    """
    return _narrowed(Episode.objects.all() if episodes is None else episodes, query, "episode_id")


def _narrowed(queryset: QuerySet, query: str, document_column: str) -> QuerySet:
    """`queryset` narrowed to the rows named by `document_column` of matching claim documents."""
    terms = parse_query(query)
    if not terms:
        return queryset.none()
    sql, params = get_backend().matching(terms, author_id=None, kind="claim")
    return queryset.filter(pk__in=RawSQL(f"SELECT d.{document_column} {sql}", params))


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: int
    video_id: str
    seconds: int | None
    snippet: str
    path: str
    episode_title: str = ""
    heading: str = ""  # the article of a claim (unless titled as its episode), or "Note"
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


@dataclass(frozen=True, slots=True)
class _FoundClaim:
    id: int
    label: str
    text: str
    article_title: str
    video_id: str
    episode_title: str


class SearchResults:
    """Ranked hits for `query`, sliced and counted like a QuerySet; see `MAX_HITS`."""

    def __init__(self, query: str, user=None) -> None:
        self.query = query
        words, self.tags = split_tags(query)
        self.terms = parse_query(words)
        self.user = user
        self._ranked: list[tuple] | None = None

    def ranked(self) -> list[tuple]:
        """(kind, claim id, annotation id, seconds) of up to MAX_HITS + 1 hits, best first."""
        if self._ranked is None:
            self._ranked = (
                get_backend().ranked(self.terms, _author_id(self.user), MAX_HITS)
                if self.terms
                else []
            )
            if self.tags:
                self._ranked = self._tagged(self._ranked)
        return self._ranked

    def _tagged(self, ranked: list[tuple]) -> list[tuple]:
        """The hits that are notes with every tag asked for; with no words, all such notes."""
        notes = Annotation.objects.visible_to(self.user)
        for tag in self.tags:
            notes = notes.filter(pk__in=Tag.objects.filter(name=tag).values("annotation"))
        if not self.terms:
            rows = notes.newest_first().values_list("pk", "seconds")[: MAX_HITS + 1]
            return [("annotation", None, pk, seconds) for pk, seconds in rows]
        wanted = [note_id for kind, _, note_id, _ in ranked if kind == "annotation"]
        tagged = set(notes.filter(pk__in=wanted).values_list("pk", flat=True))
        return [row for row in ranked if row[0] == "annotation" and row[2] in tagged]

    def count(self) -> int:
        return min(len(self.ranked()), MAX_HITS)

    @property
    def capped(self) -> bool:
        """More than MAX_HITS documents match: the count is a lower bound."""
        return len(self.ranked()) > MAX_HITS

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[SearchHit]:
        if not isinstance(window, slice):
            return self[window : window + 1][0]
        start = window.start or 0
        stop = MAX_HITS if window.stop is None else min(window.stop, MAX_HITS)
        rows = self.ranked()[start:stop]
        # Plain rows, not model instances: a page of hits is read on every keystroke.
        claims = {
            row[0]: _FoundClaim(*row)
            for row in _claim_rows([claim_id for kind, claim_id, _, _ in rows if kind == "claim"])
        }
        # Who may see a note is decided by the note itself too, not only by its document;
        # a note on an unlisted episode is found only by whoever may list that episode.
        notes = (
            Annotation.objects.visible_to(self.user)
            .filter(episode__in=Episode.objects.listed_for(self.user))
            .select_related("episode")
            .in_bulk([note_id for kind, _, note_id, _ in rows if kind == "annotation"])
        )
        episode_paths: dict[str, str] = {}
        hits = []
        for kind, claim_id, note_id, seconds in rows:
            if kind == "claim" and claim_id in claims:
                claim = claims[claim_id]
                path = episode_paths.get(claim.video_id)
                if path is None:  # reversed once per episode of the page
                    path = episode_paths[claim.video_id] = Episode.path_for(claim.video_id)
                hits.append(self._claim_hit(claim, seconds, path))
            elif kind == "annotation" and note_id in notes:
                hits.append(self._annotation_hit(notes[note_id]))
        return hits

    def _claim_hit(self, claim: _FoundClaim, seconds: int | None, episode_path: str) -> SearchHit:
        label = f"{claim.label}: " if claim.label else ""
        snippet = snippet_window(label + claim.text, self.terms)
        return SearchHit(
            kind="claim",
            id=claim.id,
            video_id=claim.video_id,
            seconds=seconds,
            snippet=snippet,
            path=moment_url(episode_path, seconds, Claim.anchor_for(claim.id)),
            episode_title=Episode.title_for_display(claim.episode_title, claim.video_id),
            heading=_article_heading(claim.article_title, claim.episode_title),
            highlighted=highlight(snippet, self.terms),
        )

    def _annotation_hit(self, note: Annotation) -> SearchHit:
        snippet = snippet_window(plain_text(note.body_html), self.terms)
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


def _article_heading(article_title: str, episode_title: str) -> str:
    """The article's title, or "" where it only repeats the episode's title shown above it."""
    if _title_key(article_title) == _title_key(episode_title):
        return ""
    return article_title


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _claim_rows(claim_ids: list[int]) -> list[tuple]:
    """The `_FoundClaim` fields of these claims, in one query written out (no ORM to build)."""
    if not claim_ids:
        return []
    quote = connection.ops.quote_name
    claim, article = quote(Claim._meta.db_table), quote(Article._meta.db_table)
    episode = quote(Episode._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.label, c.text, a.title, e.video_id, e.title FROM {claim} c "
            f"JOIN {article} a ON a.id = c.article_id JOIN {episode} e ON e.id = a.episode_id "
            f"WHERE c.id IN ({', '.join(['%s'] * len(claim_ids))})",
            claim_ids,
        )
        return cursor.fetchall()


def search(query: str, user=None) -> SearchResults:
    """Claims and the notes `user` may see matching `query`, best first."""
    return SearchResults(query, user)

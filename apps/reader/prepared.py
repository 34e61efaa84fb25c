"""A parsed article flattened into the rows the importer writes. Pure: no Django.

The import's parsing workers call `prepare_article`, so what crosses to the importer's single
writing process is named tuples, quick to receive, with everything that needs no database
already done: each claim's key, the words the search index will store.
The writer only fills in ids. Positions stand for rows not yet inserted: a claim's parent is
the position of the parent claim in `claims`, its section the position in `sections`.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, fields
from typing import NamedTuple

from apps.reader.parsed import (
    ArticleHeading,
    ParsedArticle,
    ParsedClaim,
    ParsedSection,
    ParseWarning,
)
from apps.reader.words import index_text


class SectionRow(NamedTuple):
    parent: int | None  # the parent's position in `PreparedArticle.sections`
    level: int
    title: str
    depth: int


class ClaimRow(NamedTuple):
    section: int  # the section's position in `PreparedArticle.sections`
    parent: int | None  # the parent claim's position in `PreparedArticle.claims`
    kind: str
    label: str
    text: str
    html: str
    depth: int
    key: str


class TimestampRow(NamedTuple):
    claim: int  # the claim's position in `PreparedArticle.claims`
    seconds: int
    segment: str
    position: int  # its order within the claim
    line: int = 0  # where the document writes it, for the import's warnings


class SearchWords(NamedTuple):
    """A claim's label and text as the search index stores them."""

    label: str
    text: str


class LinkRow(NamedTuple):
    target_slug: str
    text: str


@dataclass(slots=True)
class PreparedArticle(ArticleHeading):
    sections: list[SectionRow]  # parents before their children
    claims: list[ClaimRow]
    timestamps: list[TimestampRow]
    search: list[SearchWords]  # in `claims` order
    links: list[LinkRow]
    warnings: list[ParseWarning]

    # Every row of every article crosses from a parsing worker to the writer by pickle. A
    # named tuple pickles and unpickles through Python calls of its own, a plain tuple does
    # not: rows travel plain and are made named again, in C, on arrival.
    def __getstate__(self) -> tuple:
        return tuple(
            list(map(tuple, value)) if field.name in _ROW_TYPES else value
            for field in fields(self)
            for value in (getattr(self, field.name),)
        )

    def __setstate__(self, state: tuple) -> None:
        for field, value in zip(fields(self), state, strict=True):
            row_type = _ROW_TYPES.get(field.name)
            if row_type is not None:
                value = list(map(_row_maker(row_type), value))
            setattr(self, field.name, value)


def _row_maker(row_type: type[tuple]) -> functools.partial:
    """`row_type` made from a plain tuple in C, not through its constructor in Python."""
    return functools.partial(tuple.__new__, row_type)


_ROW_TYPES: dict[str, type[tuple]] = {
    "sections": SectionRow,
    "claims": ClaimRow,
    "timestamps": TimestampRow,
    "search": SearchWords,
    "links": LinkRow,
}


def prepare_article(parsed: ParsedArticle) -> PreparedArticle:
    """An article's rows: sections and claims in document order, parents first."""
    prepared = PreparedArticle(
        title=parsed.title,
        slug=parsed.slug,
        video_id=parsed.video_id,
        channel_slug=parsed.channel_slug,
        channel_name=parsed.channel_name,
        summary=parsed.summary,
        sections=[],
        claims=[],
        timestamps=[],
        search=[],
        links=[LinkRow(link.target_slug, link.text) for link in parsed.links],
        warnings=parsed.warnings,
    )
    _Flattening(prepared).add_sections(parsed.sections, None, 0)
    return prepared


class _Flattening:
    """A walk down an article's tree that appends its rows, and the claim keys seen so far."""

    __slots__ = ("prepared", "seen_keys")

    def __init__(self, prepared: PreparedArticle) -> None:
        self.prepared = prepared
        self.seen_keys: dict[str, int] = {}

    def add_sections(self, sections: list[ParsedSection], parent: int | None, depth: int) -> None:
        rows = self.prepared.sections
        for section in sections:
            position = len(rows)
            rows.append(SectionRow(parent, section.level, section.title or "", depth))
            self.add_claims(section.claims, position, None, 0)
            self.add_sections(section.children, position, depth + 1)

    def add_claims(
        self, claims: list[ParsedClaim], section: int, parent: int | None, depth: int
    ) -> None:
        prepared = self.prepared
        for claim in claims:
            key = self.unique_key(claim_key(claim.label, claim.text))
            position = len(prepared.claims)
            prepared.claims.append(
                ClaimRow(
                    section, parent, claim.kind, claim.label, claim.text, claim.html, depth, key
                )
            )
            prepared.search.append(SearchWords(index_text(claim.label), index_text(claim.text)))
            prepared.timestamps.extend(
                TimestampRow(position, stamp.seconds, stamp.segment, order, stamp.line)
                for order, stamp in enumerate(claim.timestamps)
            )
            self.add_claims(claim.children, section, position, depth + 1)

    def unique_key(self, key: str) -> str:
        """Claims that say the same thing keep apart: the second gets "-2", and so on."""
        seen = self.seen_keys.get(key, 0) + 1
        self.seen_keys[key] = seen
        return f"{key}-{seen}" if seen > 1 else key


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def claim_key(label: str, text: str) -> str:
    """A key that survives reordering: what the claim says, not where it stands."""
    return hashlib.sha1(normalised(f"{label} {text}").encode()).hexdigest()[:16]

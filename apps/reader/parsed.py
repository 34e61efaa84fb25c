"""What `parse_document` returns: plain dataclasses, and the error and warnings it reports."""

from __future__ import annotations

from dataclasses import dataclass, field


class DocumentError(ValueError):
    """The whole document cannot be imported; `line` is where the reader gave up (or 1)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class ParseWarning:
    line: int
    message: str


@dataclass(slots=True)
class ParsedTimestamp:
    seconds: int
    segment: str  # plain text of the span this timestamp marks (back to the previous one)
    line: int


@dataclass(slots=True)
class ParsedClaim:
    kind: str  # "item" | "paragraph" | "quote"
    label: str  # a bold lead-in ("**Objective**:" -> "Objective"), else ""
    text: str  # plain text without the label and without timestamp markup
    html: str  # safe inline HTML of the whole claim, segments and timestamp links included
    line: int
    timestamps: list[ParsedTimestamp] = field(default_factory=list)
    children: list[ParsedClaim] = field(default_factory=list)


@dataclass(slots=True)
class ParsedSection:
    title: str | None  # None for the untitled section before the first heading
    level: int  # heading level 2..6 (1 for "#"), 0 for the untitled first section
    line: int
    claims: list[ParsedClaim] = field(default_factory=list)
    children: list[ParsedSection] = field(default_factory=list)


@dataclass(slots=True)
class ParsedLink:
    target_slug: str
    text: str
    line: int


@dataclass(slots=True)
class ArticleHeading:
    """What an article says of itself, before its sections."""

    title: str
    slug: str
    video_id: str
    channel_slug: str | None
    channel_name: str | None
    summary: str


@dataclass(slots=True)
class ParsedArticle(ArticleHeading):
    sections: list[ParsedSection]  # top-level sections in order; the first may be untitled
    links: list[ParsedLink]
    warnings: list[ParseWarning]


@dataclass(slots=True)
class IndexedEpisode:
    video_id: str
    title: str
    article_slugs: list[str]
    line: int


@dataclass(slots=True)
class ParsedChannelIndex:
    slug: str
    title: str
    episodes: list[IndexedEpisode]
    warnings: list[ParseWarning]


@dataclass(slots=True)
class ParsedDirectory:
    """A page listing channels (`- [[slug | Name]]`), which gives channels their names."""

    title: str
    channels: list[tuple[str, str]]  # (slug, name)
    warnings: list[ParseWarning]

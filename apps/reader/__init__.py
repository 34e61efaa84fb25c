"""The seed-document reader: Markdown text to plain data, and that data to rows for the writer.

`parse_document(text, path=...)` reads one document into a `ParsedArticle`, a
`ParsedChannelIndex` or a `ParsedDirectory` (or raises `DocumentError`); `prepare_article`
flattens an article into the named-tuple rows the importer writes. The package is plain
Python: it imports no Django and no other app, so it runs in worker processes and tests
without settings (the import-linter contract in pyproject.toml keeps it so).
"""

from __future__ import annotations

from apps.reader.parsed import (
    ArticleHeading,
    DocumentError,
    IndexedEpisode,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedClaim,
    ParsedDirectory,
    ParsedLink,
    ParsedSection,
    ParsedTimestamp,
    ParseWarning,
)
from apps.reader.parsing import PARSER_VERSION, parse_document
from apps.reader.prepared import (
    ClaimRow,
    LinkRow,
    PreparedArticle,
    SearchWords,
    SectionRow,
    TimestampRow,
    prepare_article,
)

__all__ = [
    "PARSER_VERSION",
    "ArticleHeading",
    "ClaimRow",
    "DocumentError",
    "IndexedEpisode",
    "LinkRow",
    "ParseWarning",
    "ParsedArticle",
    "ParsedChannelIndex",
    "ParsedClaim",
    "ParsedDirectory",
    "ParsedLink",
    "ParsedSection",
    "ParsedTimestamp",
    "PreparedArticle",
    "SearchWords",
    "SectionRow",
    "TimestampRow",
    "parse_document",
    "prepare_article",
]

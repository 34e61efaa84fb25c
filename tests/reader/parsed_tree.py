"""Walking a parsed article's nested sections and claims, for the reader's tests."""

from __future__ import annotations

from apps.reader import (
    ParsedArticle,
    ParsedChannelIndex,
    ParsedClaim,
    ParsedDirectory,
    ParsedSection,
)


def walk_sections(sections: list[ParsedSection]) -> list[ParsedSection]:
    found = []
    for section in sections:
        found.append(section)
        found.extend(walk_sections(section.children))
    return found


def walk_claims(claims: list[ParsedClaim]) -> list[ParsedClaim]:
    found = []
    for claim in claims:
        found.append(claim)
        found.extend(walk_claims(claim.children))
    return found


def all_claims(article: ParsedArticle) -> list[ParsedClaim]:
    return [
        claim
        for section in walk_sections(article.sections)
        for claim in walk_claims(section.claims)
    ]


def stamps(claim: ParsedClaim) -> list[tuple[int, str]]:
    return [(stamp.seconds, stamp.segment) for stamp in claim.timestamps]


def warnings_of(result: ParsedArticle | ParsedChannelIndex | ParsedDirectory) -> list:
    return [(warning.line, warning.message) for warning in result.warnings]

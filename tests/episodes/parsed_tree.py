"""Walking a parsed article's nested sections and claims, for the parser's tests."""

from __future__ import annotations

from apps.reader.parsing import ParsedClaim, ParsedSection


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

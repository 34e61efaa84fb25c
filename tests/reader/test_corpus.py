"""Every real document through the parser: nothing a reader should keep is lost.

Reads ../shared/corpus (about 2,100 documents); skips, saying so, where it is absent. Run with
`-s` to see the figures: documents, timestamps checked and warnings by kind.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from apps.reader import (
    DocumentError,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedDirectory,
    parse_document,
)

from .parsed_tree import walk_claims, walk_sections

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
CANONICAL_ANCHOR = re.compile(r'<a class="yt-timestamp" data-t="(\d{2}):(\d{2}):(\d{2})">')
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(\S*)")
# Files that are no seed documents at all: the corpus's own README.
NOT_DOCUMENTS = {"README.md"}


@pytest.fixture(scope="module")
def parsed_corpus() -> list[tuple[Path, str, object]]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder {CORPUS} is absent")
    results = []
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        try:
            results.append((path, text, parse_document(text, path=str(path))))
        except DocumentError as error:
            results.append((path, text, error))
    return results


def timestamp_seconds(article: ParsedArticle) -> Counter:
    return Counter(
        stamp.seconds
        for section in walk_sections(article.sections)
        for claim in walk_claims(section.claims)
        for stamp in claim.timestamps
    )


def expected_headings(text: str) -> list[tuple[int, str]]:
    """Headings at the start of a line, outside code fences (a ```markdown fence that wraps
    the body is no code), their text cleaned of inline markup by a few plain rules."""
    headings = []
    fence = None
    for line in text.split("\n"):
        fence_match = FENCE.match(line)
        if fence_match:
            marker, info = fence_match.groups()
            if fence is None and info.lower() not in ("markdown", "md"):
                fence = marker
            elif fence is not None and marker[0] == fence[0] and not info:
                fence = None
            continue
        heading = HEADING.match(line) if fence is None else None
        if heading:
            headings.append((len(heading.group(1)), clean_heading(heading.group(2))))
    return headings


def clean_heading(text: str) -> str:
    text = re.sub(r"<a\b[^>]*>[^<]*</a>", "", text)
    text = re.sub(r"\[\[[^\]|]*\|\s*([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[\[([^\]]*)\]\]", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])", r"\2", text)
    text = text.replace("`", "")
    return " ".join(text.split())


def test_every_canonical_timestamp_is_a_timestamp_with_its_seconds(parsed_corpus) -> None:
    documents = checked = 0
    for path, text, result in parsed_corpus:
        if not isinstance(result, ParsedArticle):
            continue
        expected = Counter(
            int(hours) * 3600 + int(minutes) * 60 + int(seconds)
            for hours, minutes, seconds in CANONICAL_ANCHOR.findall(text)
        )
        missing = expected - timestamp_seconds(result)
        assert not missing, f"{path}: timestamps missing {sorted(missing.elements())[:10]}"
        documents += 1
        checked += sum(expected.values())
    print(f"\n{documents} articles, {checked} canonical timestamps found with their seconds")
    assert documents > 2000
    assert checked > 50_000


def test_every_heading_is_a_section_in_document_order(parsed_corpus) -> None:
    headings = 0
    for path, text, result in parsed_corpus:
        if not isinstance(result, ParsedArticle):
            continue
        sections = [
            (section.level, section.title)
            for section in walk_sections(result.sections)
            if section.title is not None
        ]
        assert sections == expected_headings(text), path
        headings += len(sections)
    print(f"\n{headings} headings found as sections")
    assert headings > 10_000


def test_only_files_that_are_no_seed_documents_are_refused(parsed_corpus) -> None:
    refused = {
        path.name: f"{result.line}: {result.message}"
        for path, _, result in parsed_corpus
        if isinstance(result, DocumentError)
    }
    print(f"\nrefused: {refused}")
    assert set(refused) == NOT_DOCUMENTS
    kinds = Counter(type(result).__name__ for _, _, result in parsed_corpus)
    print(f"documents by kind: {dict(kinds)}")
    assert kinds[ParsedChannelIndex.__name__] == 6
    assert kinds[ParsedDirectory.__name__] == 3
    assert kinds[ParsedArticle.__name__] > 2000


def test_article_slugs_are_the_file_names(parsed_corpus) -> None:
    for path, _, result in parsed_corpus:
        if isinstance(result, ParsedArticle):
            assert result.slug == path.stem, path


def test_warnings_are_few_and_of_known_kinds(parsed_corpus) -> None:
    kinds: Counter = Counter()
    for _, _, result in parsed_corpus:
        if isinstance(result, DocumentError):
            continue
        for warning in result.warnings:
            kind = re.sub(r'"[^"]*"', '"…"', warning.message)
            kind = re.sub(r"\d+(:\d+)*", "T", kind)
            kinds[kind] += 1
    print("\nwarnings by kind:")
    for kind, count in kinds.most_common():
        print(f"{count:6d}  {kind}")
    known = (
        "timestamp",
        "malformed timestamp tag",
        "generator preamble",
        "leaked ```markdown fence",
        "unclosed wiki link",
        "raw HTML",
        "HTML comment",
        "unclosed code fence",
        "empty list item",
        "image",
        "link to",
        "text before the front matter",
        "text outside the channel list",
        "line outside an episode list",
    )
    assert all(kind.startswith(known) for kind in kinds), kinds
    assert sum(kinds.values()) < 2000

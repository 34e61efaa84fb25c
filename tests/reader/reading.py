"""The reader's fixture documents, read as the tests need them."""

from __future__ import annotations

from pathlib import Path

from apps.reader import ParsedArticle, ParsedChannelIndex, ParsedDirectory, parse_document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = PROJECT_ROOT / "seeds" / "000_1434835863ade502.txt"


def parse_fixture(name: str) -> ParsedArticle | ParsedChannelIndex | ParsedDirectory:
    path = FIXTURES / name
    return parse_document(path.read_text(encoding="utf-8"), path=str(path))


def parse_article(name: str) -> ParsedArticle:
    article = parse_fixture(name)
    assert isinstance(article, ParsedArticle)
    return article


def article_from_body(body: str, video_id: str = "abcdefghijk") -> ParsedArticle:
    text = f"---\ntitle: A test article\nvideoId: {video_id}\n---\n\nFrom: [[ch]]\n\n{body}"
    article = parse_document(text, path="test.md")
    assert isinstance(article, ParsedArticle)
    return article


def timestamp_link(video_id: str, seconds: int, shown: str) -> str:
    return (
        f'<a class="ts" href="https://www.youtube.com/watch?v={video_id}&amp;t={seconds}s" '
        f'data-seconds="{seconds}">{shown}</a>'
    )

"""Import every real document and check nothing the reader should keep is lost."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.db.models import F

from apps.episodes.models import Article, Link, Section, Timestamp
from apps.ingest.importer import ImportReport, import_paths
from tests.conftest import CORPUS_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

CANONICAL_ANCHOR = re.compile(r'<a class="yt-timestamp" data-t="(\d{2}):(\d{2}):(\d{2})">')
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Measured over ../shared/corpus: 15,390 links, 12,966 resolve (84.2%); links to articles of
# channels the corpus does not hold cannot resolve. A regression in keys or resolution
# drops well below these.
CORPUS_LINKS_AT_LEAST = 15_000
CORPUS_RESOLVED_AT_LEAST = 12_900


@pytest.fixture(scope="module")
def corpus_import(django_db_setup, django_db_blocker) -> ImportReport:
    """The whole corpus imported once for this module, rolled back after its last test.

    Each test runs in a savepoint inside this transaction, so it sees the import and cannot
    change what the next test sees.
    """
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus folder {CORPUS_DIR} is absent")
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_paths([CORPUS_DIR])
        transaction.set_rollback(True)


def test_whole_corpus_keeps_every_timestamp_and_heading(corpus_import: ImportReport) -> None:
    report, corpus_dir = corpus_import, CORPUS_DIR

    files = sorted(p for p in corpus_dir.rglob("*") if p.suffix in {".md", ".txt"})
    assert report.failed == 0, report.errors[:10]
    assert report.articles > 2000

    articles = {a.source_sha256: a for a in Article.objects.all()}
    seconds_by_article: dict[int, Counter] = defaultdict(Counter)
    for article_id, seconds in Timestamp.objects.values_list("claim__article_id", "seconds"):
        seconds_by_article[article_id][seconds] += 1
    sections_by_article: dict[int, list[str]] = defaultdict(list)
    for article_id, title in (
        Section.objects.exclude(title="")
        .order_by("article_id", "position")
        .values_list("article_id", "title")
    ):
        sections_by_article[article_id].append(title)

    checked_anchors = 0
    checked_headings = 0
    checked_documents = 0
    for path in files:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        if "videoId:" not in text:
            continue
        article = articles.get(hashlib.sha256(raw).hexdigest())
        assert article is not None, f"{path}: no article"
        expected = Counter(
            int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in CANONICAL_ANCHOR.findall(text)
        )
        missing = expected - seconds_by_article[article.pk]
        assert not missing, f"{path}: timestamps missing {sorted(missing.elements())[:10]}"
        checked_anchors += sum(expected.values())

        titles = [_words(title) for title in sections_by_article[article.pk]]
        expected_titles = [_words(m.group(2)) for m in HEADING.finditer(_outside_fences(text))]
        assert titles == [t for t in expected_titles if t], f"{path}: headings differ"
        checked_headings += len(titles)
        checked_documents += 1

    assert checked_documents > 2000
    assert checked_anchors > 50_000
    assert checked_headings > 13_000
    print(
        f"checked {checked_documents} documents, {checked_anchors} canonical timestamps, "
        f"{checked_headings} headings"
    )


def test_corpus_links_resolve_to_articles_of_the_same_name(corpus_import: ImportReport) -> None:
    links = Link.objects.count()
    resolved = Link.objects.filter(target_article__isnull=False)
    same_channel = resolved.filter(target_article__channel=F("article__channel")).count()
    print(f"corpus links: {links}, resolved {resolved.count()}, same channel {same_channel}")

    assert links >= CORPUS_LINKS_AT_LEAST
    assert resolved.count() >= CORPUS_RESOLVED_AT_LEAST
    # Every resolved link names its target, whatever case, marks or separators it was written in.
    for target_key, link_key in resolved.values_list("target_key", "target_article__link_key"):
        assert target_key == link_key
    # Nothing left unresolved names an imported article.
    assert not Link.objects.filter(
        target_article__isnull=True, target_key__in=Article.objects.values("link_key")
    ).exists()
    # The corpus's hyphenated titles: "AI-driven personalization" is written ai_driven_… too.
    assert resolved.filter(target_slug="ai_driven_personalization_and_applications").exists()


MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|\[\[[^|\]]*\||\[\d{1,2}:\d{2}(?::\d{2})?\]")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def _words(heading: str) -> str:
    """A heading's words only: no tags, link targets, timestamps, emphasis or punctuation."""
    return " ".join(re.findall(r"[^\W_]+", MARKUP.sub(" ", heading).lower()))


def _outside_fences(text: str) -> str:
    """The text with code fences blanked out, except a leaked ```markdown body wrapper."""
    lines, fence = [], None
    for line in text.splitlines():
        match = FENCE.match(line)
        if fence is None and match and match.group(2).strip().lower() not in {"markdown", "md"}:
            fence = match.group(1)[0]
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence:
                fence = None
            continue
        lines.append(line)
    return "\n".join(lines)

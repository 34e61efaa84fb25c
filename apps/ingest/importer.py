"""Seed documents to rows: one (nested) transaction per file, idempotent by content hash.

`import_paths(paths)` walks files and folders; worker processes read and parse each document
(`pool.py`) while this process writes them (`writer.py`, `index_pages.py`). An unchanged file
(same SHA-256, same parser version) is skipped without parsing; a changed one updates its
article in place. A file that cannot be imported is reported and leaves nothing behind (its
savepoint is rolled back); the other files go on.

Every transaction that writes content moves the content version in itself, so kept pages never
outlive what they show. Links are resolved and the search index written once, at the end, for
the articles of the run and those a run killed part way left unfinished (`unfinished.py`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import DatabaseError, connection, transaction

from apps.episodes.models import Article, ContentVersion
from apps.ingest.index_pages import apply_page
from apps.ingest.links import resolve_links
from apps.ingest.pool import ReadDocument, read_documents
from apps.ingest.rows import refresh_content_statistics
from apps.ingest.unfinished import mark_finished, mark_unfinished, unfinished_article_ids
from apps.ingest.writer import ArticleWriter, WrittenArticle
from apps.reader import PARSER_VERSION, ParsedChannelIndex, ParsedDirectory, PreparedArticle
from apps.search.indexing import IndexBatch, indexing_in_batches

SEED_SUFFIXES = {".md", ".txt"}
# Files a folder of documents usually carries beside them; they are skipped when a folder is
# walked (and still read, and refused if they are not documents, when named one by one).
NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing"}

# Files written between two commits (each in a savepoint of its own).
FILES_PER_COMMIT = 500
# SQLite's page cache while importing (KiB), for the indexes that grow with every file.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024

ProgressCallback = Callable[[int, int, float], None]


@dataclass
class ImportReport:
    articles: int = 0
    episode_ids: set[int] = field(default_factory=set)
    claims: int = 0
    timestamps: int = 0
    unchanged: int = 0
    finished: int = 0  # articles an interrupted import left without links and search documents
    warnings: list[str] = field(default_factory=list)  # "path:line: message"
    errors: list[str] = field(default_factory=list)  # "path:line: message", one per failed file

    @property
    def episodes(self) -> int:
        return len(self.episode_ids)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def count(self, written: WrittenArticle) -> None:
        self.articles += 1
        self.episode_ids.add(written.episode_id)
        self.claims += written.claims
        self.timestamps += written.timestamps

    def summary(self) -> str:
        finished = (
            f"; finished {self.finished} articles an interrupted import left"
            if self.finished
            else ""
        )
        return (
            f"imported {self.articles} articles ({self.episodes} episodes, {self.claims} claims, "
            f"{self.timestamps} timestamps); {self.unchanged} unchanged; "
            f"{len(self.warnings)} warnings; {self.failed} failed{finished}"
        )


def iter_report_lines(report: ImportReport) -> Iterator[str]:
    yield from report.warnings
    yield from report.errors


class IndexPage(NamedTuple):
    display_path: str
    parsed: ParsedChannelIndex | ParsedDirectory


@dataclass
class _Run:
    """One import run: what it has written so far, and the index pages it applies last."""

    report: ImportReport
    known_hashes: set[str]  # of the files imported already, this run's included
    writer: ArticleWriter
    search_index: IndexBatch
    left_unfinished: set[int]  # articles a run killed part way wrote, to be finished by this one
    pages: list[IndexPage] = field(default_factory=list)
    written_article_ids: set[int] = field(default_factory=set)


def find_seed_files(paths: Iterable[Path | str], report: ImportReport) -> list[Path]:
    """Every `.md`/`.txt` file named or below a named folder, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in SEED_SUFFIXES
                    and p.stem.lower() not in NOT_DOCUMENTS
                    and p.is_file()
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            report.errors.append(f"{path}:1: no such file or folder")
    return found


def import_paths(
    paths: Iterable[Path | str],
    *,
    on_progress: ProgressCallback | None = None,
    files_per_commit: int | None = None,
) -> ImportReport:
    """Import every seed document under `paths`; see the module docstring.

    `files_per_commit` (default `FILES_PER_COMMIT`, read when the import starts) is smaller
    for an import watched from a page, whose progress others see only as each commit lands.
    """
    report = ImportReport()
    files = find_seed_files(paths, report)
    left_unfinished = unfinished_article_ids()
    with _database_tuned_for_import(), indexing_in_batches(left_unfinished) as search_index:
        known_hashes = set(
            Article.objects.filter(parser_version=PARSER_VERSION).values_list(
                "source_sha256", flat=True
            )
        )
        run = _Run(report, known_hashes, ArticleWriter(), search_index, left_unfinished)
        _write_documents(run, files, on_progress, files_per_commit or FILES_PER_COMMIT)
        _finish(run)
    return report


def _write_documents(
    run: _Run, files: list[Path], on_progress: ProgressCallback | None, files_per_commit: int
) -> None:
    started = time.perf_counter()
    documents = enumerate(read_documents(files, frozenset(run.known_hashes)), start=1)
    while batch := list(itertools.islice(documents, files_per_commit)):
        # Each file is written inside its own savepoint, so a file that fails leaves nothing
        # behind; committing many files at once spares a commit (and its foreign-key checks
        # and WAL write) per file. A crash loses at most this batch, which the next run writes.
        with ContentVersion.changing():
            written = []
            for done, document in batch:
                if (article_id := _import_document(run, document)) is not None:
                    written.append(article_id)
                if on_progress is not None:
                    on_progress(done, len(files), done / max(time.perf_counter() - started, 1e-9))
            if written:
                # In the commit that writes them: a run killed after it leaves them marked.
                mark_unfinished(written)
                # Plain INSERTs send no signal to ask for it themselves.
                ContentVersion.bump()


def _import_document(run: _Run, document: ReadDocument) -> int | None:
    """Write an article (and return its id), keep an index page for the end, or report why
    the file is skipped."""
    if document.error:
        run.report.errors.append(document.error)
        return None
    # A file met earlier in this same run (a copy under another name) is unchanged too.
    if document.unchanged or document.digest in run.known_hashes:
        run.report.unchanged += 1
        return None
    parsed = document.parsed
    run.report.warnings.extend(
        f"{document.display_path}:{warning.line}: {warning.message}" for warning in parsed.warnings
    )
    if isinstance(parsed, PreparedArticle):
        return _write_article(run, document, parsed)
    run.pages.append(IndexPage(document.display_path, parsed))
    return None


def _write_article(run: _Run, document: ReadDocument, parsed: PreparedArticle) -> int | None:
    try:
        with transaction.atomic():
            written = run.writer.write_article(parsed, document.display_path, document.digest)
    except DatabaseError as error:
        # The file's savepoint rolled back, so anything remembered from it may not exist.
        run.writer.forget_rows()
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "error"
        run.report.errors.append(f"{document.display_path}:1: could not be saved ({first_line})")
        return None
    run.known_hashes.add(document.digest)
    run.written_article_ids.add(written.article_id)
    run.report.count(written)
    run.report.warnings.extend(written.warnings)
    return written.article_id


def _finish(run: _Run) -> None:
    """What comes once every file is written, in one transaction: index and directory pages,
    links, the search index, and the marks of the articles so finished taken off."""
    articles = run.written_article_ids | run.left_unfinished
    with ContentVersion.changing():
        _apply_pages(run)
        if articles:
            # Once per run, after every file: a link may name an article written after its own.
            resolve_links(written_article_ids=articles)
            # Links were resolved by UPDATEs, which no signal reports.
            ContentVersion.bump()
            # Once committed: ANALYZE then samples the new rows, and no writer waits for it.
            transaction.on_commit(refresh_content_statistics)
        run.search_index.index()
        mark_finished(articles)
    run.report.finished = len(run.left_unfinished)


def _apply_pages(run: _Run) -> None:
    # Index and directory pages name episodes and channels that articles create, so they are
    # applied after every article of the run, whatever order the files came in; directories
    # after indexes.
    for page in sorted(run.pages, key=lambda page: isinstance(page.parsed, ParsedDirectory)):
        try:
            with transaction.atomic():
                apply_page(run.writer, page.parsed)
        except DatabaseError as error:
            run.writer.forget_rows()
            run.report.errors.append(f"{page.display_path}:1: could not be saved ({error})")


@contextmanager
def _database_tuned_for_import() -> Iterator[None]:
    """The import's connection settings, put back when it ends."""
    if connection.vendor == "sqlite":
        with _sqlite_import_cache():
            yield
    elif connection.vendor == "postgresql":
        with _postgresql_asynchronous_commit():
            yield
    else:
        yield


@contextmanager
def _sqlite_import_cache() -> Iterator[None]:
    """A page cache big enough for the indexes an import grows, instead of the default 2 MB.

    SQLite's WAL commits wait for no disk already.
    """
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        [previous] = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def _postgresql_asynchronous_commit() -> Iterator[None]:
    """Let each commit return before its WAL reaches the disk.

    A crash can then lose the last few files' commits (never corrupt anything), and the next
    import simply writes them again; without it every file waits for a flush.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")

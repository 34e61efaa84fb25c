"""Parsed seed documents to rows: one (nested) transaction per file, idempotent by content hash.

`import_paths(paths)` walks files and folders, parses each document with `parsing.py` and
writes it. An unchanged file (same SHA-256, same parser version) is skipped without parsing;
a changed one updates its article in place. A file that cannot be imported is reported and
leaves nothing behind (its savepoint is rolled back); the other files go on.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.annotations.models import Annotation
from apps.episodes.models import (
    Article,
    Channel,
    Claim,
    ContentVersion,
    Episode,
    Link,
    Section,
    Timestamp,
)
from apps.ingest.links import resolve_links
from apps.ingest.pool import ReadDocument, read_documents
from apps.reader.parsing import PARSER_VERSION, ParsedChannelIndex, ParsedDirectory
from apps.reader.prepared import PreparedArticle, normalised
from apps.reader.slugs import link_key
from apps.reader.words import index_text
from apps.search.indexing import index_article, indexing_in_batches

SEED_SUFFIXES = {".md", ".txt"}
# Files a folder of documents usually carries beside them; they are skipped when a folder is
# walked (and still read, and refused if they are not documents, when named one by one).
NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing"}

# How alike (difflib's ratio) an edited claim must be to its old text to keep its annotations.
SAME_CLAIM_SIMILARITY = 0.6
CONTAINED_CLAIM_SIMILARITY = 0.9
MIN_CONTAINED_CHARACTERS = 20
# Files written between two commits (each in a savepoint of its own).
FILES_PER_COMMIT = 500
# SQLite's page cache while importing (KiB), for the indexes that grow with every file.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024
# SQLite allows 32,766 parameters in a statement (PostgreSQL 65,535); stay well below.
MAX_QUERY_PARAMETERS = 10_000

ProgressCallback = Callable[[int, int, float], None]


@dataclass
class ImportReport:
    articles: int = 0
    episode_ids: set[int] = field(default_factory=set)
    claims: int = 0
    timestamps: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # "path:line: message"
    errors: list[str] = field(default_factory=list)  # "path:line: message", one per failed file

    @property
    def episodes(self) -> int:
        return len(self.episode_ids)

    @property
    def failed(self) -> int:
        return len(self.errors)

    def summary(self) -> str:
        return (
            f"imported {self.articles} articles ({self.episodes} episodes, {self.claims} claims, "
            f"{self.timestamps} timestamps); {self.unchanged} unchanged; "
            f"{len(self.warnings)} warnings; {self.failed} failed"
        )


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
    paths: Iterable[Path | str], *, on_progress: ProgressCallback | None = None
) -> ImportReport:
    """Import every seed document under `paths`; see the module docstring."""
    report = ImportReport()
    files = find_seed_files(paths, report)
    # Every row the ORM saves would bump the content version (an UPDATE each): once is enough.
    with ContentVersion.one_bump(), _database_tuned_for_import(), indexing_in_batches():
        _import_files(files, report, on_progress)
    return report


def _import_files(
    files: list[Path], report: ImportReport, on_progress: ProgressCallback | None
) -> None:
    writer = _Writer(report)
    pages: list[tuple[str, ParsedChannelIndex | ParsedDirectory]] = []
    started = time.perf_counter()
    documents = enumerate(read_documents(files, frozenset(writer.known_hashes)), start=1)
    while batch := list(itertools.islice(documents, FILES_PER_COMMIT)):
        # Each file is written inside its own savepoint, so a file that fails leaves nothing
        # behind; committing many files at once spares a commit (and its foreign-key checks
        # and WAL write) per file. A crash loses at most this batch, which the next run writes.
        with transaction.atomic():
            for done, document in batch:
                page = writer.import_document(document)
                if page is not None:
                    pages.append((document.display_path, page))
                if on_progress is not None:
                    on_progress(done, len(files), done / max(time.perf_counter() - started, 1e-9))
    # Index and directory pages name episodes and channels that articles create, so they are
    # applied after every article of the run, whatever order the files came in.
    for display_path, page in sorted(pages, key=lambda item: isinstance(item[1], ParsedDirectory)):
        writer.apply_page(display_path, page)
    if writer.written_article_ids:
        # Once per run, after every file: a link may name an article written after its own.
        with transaction.atomic():
            resolve_links(written_article_ids=writer.written_article_ids)
    if report.articles:
        # Claims went in as plain INSERTs, and links were resolved by UPDATEs, which no signal
        # reports: pages cached from the old content must go. (Pages that changed anything
        # did so through the ORM, whose signals asked for the bump already.)
        ContentVersion.bump()


@contextmanager
def _database_tuned_for_import() -> Iterator[None]:
    """The import's connection settings, put back when it ends.

    On PostgreSQL, let each file's commit return before its WAL reaches the disk.

    A crash can then lose the last few files' commits (never corrupt anything), and the next
    import simply writes them again; without it every file waits for a flush.

    On SQLite (whose WAL commits wait for no disk already), give the connection a page cache
    big enough for the indexes an import grows, instead of the default 2 MB.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            [previous] = cursor.fetchone()
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(previous)}")
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


class _Writer:
    """Writes one parsed file at a time, remembering channels and episodes between files."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.written_article_ids: set[int] = set()
        self.known_hashes: set[str] = set(
            Article.objects.filter(parser_version=PARSER_VERSION).values_list(
                "source_sha256", flat=True
            )
        )
        self.forget_rows()

    def forget_rows(self) -> None:
        """(Re)load what the writer looks up for every file: a handful of queries per run."""
        self.channels: dict[str, Channel] = {c.slug: c for c in Channel.objects.all()}
        self.episodes: dict[str, Episode] = {e.video_id: e for e in Episode.objects.all()}
        self.article_ids: dict[tuple[int | None, str], int] = {
            (channel_id, slug): pk
            for pk, channel_id, slug in Article.objects.values_list("pk", "channel_id", "slug")
        }

    def import_document(
        self, document: ReadDocument
    ) -> ParsedChannelIndex | ParsedDirectory | None:
        display, parsed = document.display_path, document.parsed
        if document.error:
            self.report.errors.append(document.error)
            return None
        # A file met earlier in this same run (a copy under another name) is unchanged too.
        if document.unchanged or document.digest in self.known_hashes:
            self.report.unchanged += 1
            return None
        self.report.warnings.extend(f"{display}:{w.line}: {w.message}" for w in parsed.warnings)
        if not isinstance(parsed, PreparedArticle):
            return parsed
        try:
            with transaction.atomic():
                self.write_article(parsed, display, document.digest)
        except DatabaseError as error:
            # The file's savepoint rolled back, so anything remembered from it may not exist.
            self.forget_rows()
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "error"
            self.report.errors.append(f"{display}:1: could not be saved ({first_line})")
            return None
        self.known_hashes.add(document.digest)
        return None

    # Channels and episodes

    def channel(self, slug: str, name: str | None) -> Channel:
        channel = self.channels.get(slug)
        if channel is None:
            channel = Channel.objects.create(slug=slug, name=_fit(name or slug, Channel, "name"))
            self.channels[slug] = channel
        if name and name != slug and channel.name == channel.slug:
            channel.name = _fit(name, Channel, "name")
            channel.save(update_fields=["name"])
        return channel

    def episode(self, video_id: str, title: str = "") -> Episode:
        episode = self.episodes.get(video_id)
        if episode is None:
            episode = Episode.objects.create(video_id=video_id, title=_fit(title, Episode, "title"))
            self.episodes[video_id] = episode
        return episode

    # Articles

    def write_article(self, parsed: PreparedArticle, display_path: str, digest: str) -> None:
        channel = (
            self.channel(parsed.channel_slug, parsed.channel_name) if parsed.channel_slug else None
        )
        episode = self.episode(parsed.video_id, parsed.title)
        episode_changes = []
        if episode.channel_id is None and channel is not None:
            episode.channel = channel
            episode_changes.append("channel")
        if not episode.titled_by_index and not episode.title:
            episode.title = _fit(parsed.title, Episode, "title")
            episode_changes.append("title")
        if episode_changes:
            episode.save(update_fields=episode_changes)

        values = {
            "episode": episode,
            "title": _fit(parsed.title, Article, "title"),
            "summary": parsed.summary,
            "source_path": _fit(display_path, Article, "source_path"),
            "source_sha256": digest,
            "parser_version": PARSER_VERSION,
        }
        identity = (channel.pk if channel else None, parsed.slug)
        article_id = self.article_ids.get(identity)
        annotated: list[_AnnotatedClaim] = []
        if article_id is None:
            article = self.insert_article(Article(channel=channel, slug=parsed.slug, **values))
            self.article_ids[identity] = article.pk
        else:
            article = Article(pk=article_id, channel=channel, slug=parsed.slug, **values)
            article.save(force_update=True)
            annotated = _annotated_claims(article)
            self.clear_article(article)

        section_ids = self.write_sections(article, parsed.sections)
        new_claims = self.write_claims(article, episode, parsed, section_ids)
        if annotated:
            _carry_annotations_over(
                annotated,
                [
                    _AnnotatedClaim(pk, key, normalised(f"{label} {text}"))
                    for pk, key, label, text in new_claims
                ],
            )
        _insert_rows(
            Link,
            ["article_id", "target_slug", "target_key", "text"],
            [
                (
                    article.pk,
                    _fit(target_slug, Link, "target_slug"),
                    link_key(target_slug),
                    _fit(text, Link, "text"),
                )
                for target_slug, text in parsed.links
            ],
        )
        # Claims were written with plain INSERTs (no signals): the index is told here, with
        # the words the parsing worker already made of them.
        claim_words = {}
        for (pk, _key, label, _text), parsed_claim, words in zip(
            new_claims, parsed.claims, parsed.search, strict=True
        ):
            if label is not parsed_claim[3]:  # a label cut to fit its column
                words = (index_text(label), words[1])
            claim_words[pk] = words
        index_article(article.pk, claim_words)
        self.written_article_ids.add(article.pk)
        self.report.articles += 1
        self.report.episode_ids.add(episode.pk)

    @staticmethod
    def insert_article(article: Article) -> Article:
        """INSERT a new article as `save()` would, without the ORM's per-object work.

        Its receivers need not run: the search index is told by `index_article`, and the
        content version is bumped once the import ends.
        """
        article.link_key = link_key(article.slug)
        article.updated = timezone.now()
        columns = [
            "episode_id",
            "channel_id",
            "slug",
            "title",
            "summary",
            "source_path",
            "source_sha256",
            "parser_version",
            "link_key",
            "updated",
        ]
        row = [getattr(article, column) for column in columns]
        row[-1] = connection.ops.adapt_datetimefield_value(article.updated)
        [(article.pk, _)] = _insert_rows(Article, columns, [row], returning="slug")
        article._state.adding = False
        article._state.db = connection.alias
        return article

    @staticmethod
    def clear_article(article: Article) -> None:
        # One statement per table instead of Django's cascade collector, which would load
        # every row first; foreign keys are checked at commit, so the order is free.
        for queryset in (
            Timestamp.objects.filter(claim__article=article),
            Claim.objects.filter(article=article),
            Section.objects.filter(article=article),
            Link.objects.filter(article=article),
        ):
            queryset._raw_delete(queryset.db)

    @staticmethod
    def write_sections(
        article: Article, sections: list[tuple[int | None, int, str, int]]
    ) -> list[int]:
        """Insert the sections depth by depth (parents need ids); their ids in document order."""
        by_depth: list[list[list]] = []
        for position, (parent, level, title, depth) in enumerate(sections):
            _at_depth(by_depth, depth).append(
                [article.pk, parent, level, _fit(title, Section, "title"), position]
            )
        return _insert_tree(
            Section,
            ["article_id", "parent_id", "level", "title", "position"],
            by_depth,
            len(sections),
        )

    def write_claims(
        self,
        article: Article,
        episode: Episode,
        parsed: PreparedArticle,
        section_ids: list[int],
    ) -> list[tuple[int, str, str, str]]:
        """Insert the claims and their timestamps; return each claim's id, key, label, text."""
        rows: list[list] = []  # the Claim columns below, parent as a position until inserted
        by_depth: list[list[list]] = []
        for position, (section, parent, kind, label, text, html, depth, key) in enumerate(
            parsed.claims
        ):
            row = [
                article.pk,
                section_ids[section],
                parent,
                kind,
                _fit(label, Claim, "label"),
                text,
                html,
                position,
                depth,
                key,
            ]
            rows.append(row)
            _at_depth(by_depth, depth).append(row)
        columns = [
            "article_id",
            "section_id",
            "parent_id",
            "kind",
            "label",
            "text",
            "html",
            "position",
            "depth",
            "key",
        ]
        claim_ids = _insert_tree(Claim, columns, by_depth, len(rows))
        timestamps = [
            (claim_ids[claim], episode.pk, seconds, segment, order)
            for claim, seconds, segment, order in parsed.timestamps
        ]
        _insert_rows(
            Timestamp, ["claim_id", "episode_id", "seconds", "segment", "position"], timestamps
        )
        self.report.claims += len(rows)
        self.report.timestamps += len(timestamps)
        return [
            (claim_id, row[9], row[4], row[5])
            for claim_id, row in zip(claim_ids, rows, strict=True)
        ]

    # Channel index and directory pages

    def apply_page(self, display_path: str, page: ParsedChannelIndex | ParsedDirectory) -> None:
        try:
            with transaction.atomic():
                if isinstance(page, ParsedChannelIndex):
                    self.apply_channel_index(page)
                else:
                    self.apply_directory(page)
        except DatabaseError as error:
            self.forget_rows()
            self.report.errors.append(f"{display_path}:1: could not be saved ({error})")

    def apply_channel_index(self, index: ParsedChannelIndex) -> None:
        """Title and file the episodes it lists; it creates none (they come with articles)."""
        channel = self.channel(index.slug, None)
        for indexed in index.episodes:
            episode = self.episodes.get(indexed.video_id)
            if episode is None:
                continue
            title = _fit(indexed.title, Episode, "title")
            if (episode.title, episode.channel_id, episode.titled_by_index) != (
                title,
                channel.pk,
                True,
            ):
                episode.title = title
                episode.channel = channel
                episode.titled_by_index = True
                episode.save(update_fields=["title", "channel", "titled_by_index"])

    def apply_directory(self, directory: ParsedDirectory) -> None:
        for slug, name in directory.channels:
            renamed = (
                Channel.objects.filter(slug=slug)
                .exclude(name=name)
                .update(name=_fit(name, Channel, "name"))
            )
            if renamed:  # an UPDATE sends no signal
                ContentVersion.bump()
        self.channels = {c.slug: c for c in Channel.objects.all()}


def _at_depth(by_depth: list[list], depth: int) -> list:
    while len(by_depth) <= depth:
        by_depth.append([])
    return by_depth[depth]


def _insert_tree(
    model: type, columns: list[str], by_depth: list[list[list]], count: int
) -> list[int]:
    """Insert a tree's rows one depth at a time, so each parent has its id before its children.

    Each row holds its parent's position in the `parent_id` column until the parent has an id;
    ids come back paired with positions, so the database may return them in any order.
    """
    parent_column = columns.index("parent_id")
    ids: list[int] = [0] * count
    for rows in by_depth:
        for row in rows:
            if row[parent_column] is not None:
                row[parent_column] = ids[row[parent_column]]
        for row_id, position in _insert_rows(model, columns, rows, returning="position"):
            ids[position] = row_id
    return ids


def _insert_rows(
    model: type, columns: list[str], rows: list, returning: str | None = None
) -> list[tuple]:
    """Plain multi-row INSERTs: the ORM's per-object work is most of an import's time.

    With `returning`, gives back (id, that column) for every row inserted.
    """
    if not rows:
        return []
    per_statement = max(1, MAX_QUERY_PARAMETERS // len(columns))
    returned: list[tuple] = []
    # The driver's own cursor: Django's would rewrite each long statement's placeholders. Its
    # errors are turned into Django's, which the caller catches to refuse just this file.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        driver_cursor = cursor.cursor
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            driver_cursor.execute(
                _insert_statement(
                    connection.vendor, model._meta.db_table, tuple(columns), len(chunk), returning
                ),
                [value for row in chunk for value in row],
            )
            if returning:
                returned.extend(driver_cursor.fetchall())
    return returned


@functools.lru_cache(maxsize=4096)
def _insert_statement(
    vendor: str, table: str, columns: tuple[str, ...], row_count: int, returning: str | None
) -> str:
    quote = connection.ops.quote_name
    placeholder = "?" if vendor == "sqlite" else "%s"
    one_row = "(" + ", ".join([placeholder] * len(columns)) + ")"
    suffix = f" RETURNING id, {quote(returning)}" if returning else ""
    names = ", ".join(quote(column) for column in columns)
    return f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([one_row] * row_count)}{suffix}"


@dataclass(frozen=True, slots=True)
class _AnnotatedClaim:
    id: int
    key: str
    text: str  # label and text, normalised


def _annotated_claims(article: Article) -> list[_AnnotatedClaim]:
    """The article's claims that carry annotations, read before its claims are replaced."""
    rows = (
        Claim.objects.filter(article=article, annotations__isnull=False)
        .values_list("id", "key", "label", "text")
        .distinct()
    )
    return [
        _AnnotatedClaim(pk, key, normalised(f"{label} {text}")) for pk, key, label, text in rows
    ]


def _carry_annotations_over(old: list[_AnnotatedClaim], new: list[_AnnotatedClaim]) -> None:
    """Point each annotation of a replaced claim at the same claim in the new text.

    The same words (the key) match wherever the claim moved; failing that, the most similar
    claim, if it is close enough to be the same claim edited (a typo fixed, a sentence added).
    Annotations whose claim is gone keep their quote and time and become detached.
    """
    by_key = {claim.key: claim.id for claim in new}
    for claim in old:
        new_id = by_key.get(claim.key) or _most_similar(claim.text, new)
        annotations = Annotation.objects.filter(claim_id=claim.id)
        if new_id is not None:
            annotations.update(claim_id=new_id)
        else:
            # The quote normally holds the claim's text already; an older note may lack it.
            annotations.filter(quote="").update(quote=claim.text)
            annotations.update(claim_id=None)


def _most_similar(text: str, candidates: list[_AnnotatedClaim]) -> int | None:
    best_id, best_ratio = None, SAME_CLAIM_SIMILARITY
    for candidate in candidates:
        shorter, longer = sorted((text, candidate.text), key=len)
        if len(shorter) >= MIN_CONTAINED_CHARACTERS and shorter in longer:
            # One is the other with words added or removed around it.
            ratio = max(best_ratio, CONTAINED_CLAIM_SIMILARITY)
        else:
            matcher = difflib.SequenceMatcher(None, text, candidate.text, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
        if ratio > best_ratio:
            best_id, best_ratio = candidate.id, ratio
    return best_id


def _fit(value: str, model: type, field_name: str) -> str:
    """Cut a value to its column's length, so PostgreSQL never refuses an over-long title."""
    limit = _max_length(model, field_name)
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.cache
def _max_length(model: type, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def iter_report_lines(report: ImportReport) -> Iterator[str]:
    yield from report.warnings
    yield from report.errors

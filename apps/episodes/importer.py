"""Parsed seed documents to rows: one transaction per file, idempotent by content hash.

`import_paths(paths)` walks files and folders, parses each document with `parsing.py` and
writes it. An unchanged file (same SHA-256, same parser version) is skipped without parsing;
a changed one updates its article in place. A file that cannot be imported is reported and
leaves nothing behind; the other files go on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from .models import Article, Channel, Claim, Episode, Link, Section, Timestamp
from .parsing import (
    PARSER_VERSION,
    DocumentError,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedClaim,
    ParsedDirectory,
    ParsedSection,
    parse_document,
)

SEED_SUFFIXES = {".md", ".txt"}
# Files a folder of documents usually carries beside them; they are skipped when a folder is
# walked (and still read, and refused if they are not documents, when named one by one).
NOT_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing"}

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
    writer = _Writer(report)
    pages: list[tuple[str, ParsedChannelIndex | ParsedDirectory]] = []
    started = time.perf_counter()
    for done, path in enumerate(files, start=1):
        page = writer.import_file(path)
        if page is not None:
            pages.append((str(path), page))
        if on_progress is not None:
            on_progress(done, len(files), done / max(time.perf_counter() - started, 1e-9))
    # Index and directory pages name episodes and channels that articles create, so they are
    # applied after every article of the run, whatever order the files came in.
    for display_path, page in sorted(pages, key=lambda item: isinstance(item[1], ParsedDirectory)):
        writer.apply_page(display_path, page)
    return report


class _Writer:
    """Writes one parsed file at a time, remembering channels and episodes between files."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.channels: dict[str, Channel] = {}
        self.episodes: dict[str, Episode] = {}
        self.known_hashes: set[str] = set(
            Article.objects.filter(parser_version=PARSER_VERSION).values_list(
                "source_sha256", flat=True
            )
        )

    def import_file(self, path: Path) -> ParsedChannelIndex | ParsedDirectory | None:
        display = str(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.report.errors.append(f"{display}:1: cannot be read ({error.strerror})")
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if digest in self.known_hashes:
            self.report.unchanged += 1
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.report.errors.append(f"{display}:{line}: not UTF-8 text ({error.reason})")
            return None
        try:
            parsed = parse_document(text, path=display)
        except DocumentError as error:
            self.report.errors.append(f"{display}:{error.line}: {error.message}")
            return None
        self.report.warnings.extend(f"{display}:{w.line}: {w.message}" for w in parsed.warnings)
        if not isinstance(parsed, ParsedArticle):
            return parsed
        try:
            with transaction.atomic():
                self.write_article(parsed, display, digest)
        except DatabaseError as error:
            # The transaction rolled back, so anything cached from it may not exist.
            self.channels.clear()
            self.episodes.clear()
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "error"
            self.report.errors.append(f"{display}:1: could not be saved ({first_line})")
            return None
        self.known_hashes.add(digest)
        return None

    # Channels and episodes

    def channel(self, slug: str, name: str | None) -> Channel:
        channel = self.channels.get(slug)
        if channel is None:
            channel, _ = Channel.objects.get_or_create(
                slug=slug, defaults={"name": _fit(name or slug, Channel, "name")}
            )
            self.channels[slug] = channel
        if name and name != slug and channel.name == channel.slug:
            channel.name = _fit(name, Channel, "name")
            channel.save(update_fields=["name"])
        return channel

    def episode(self, video_id: str) -> Episode:
        episode = self.episodes.get(video_id)
        if episode is None:
            episode, _ = Episode.objects.get_or_create(video_id=video_id)
            self.episodes[video_id] = episode
        return episode

    # Articles

    def write_article(self, parsed: ParsedArticle, display_path: str, digest: str) -> None:
        channel = (
            self.channel(parsed.channel_slug, parsed.channel_name) if parsed.channel_slug else None
        )
        episode = self.episode(parsed.video_id)
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
        article = Article.objects.filter(channel=channel, slug=parsed.slug).first()
        if article is None:
            article = Article.objects.create(channel=channel, slug=parsed.slug, **values)
        else:
            for name, value in values.items():
                setattr(article, name, value)
            article.save()
            self.clear_article(article)

        sections = self.write_sections(article, parsed.sections)
        self.write_claims(article, episode, sections)
        Link.objects.bulk_create(
            Link(
                article=article,
                target_slug=_fit(link.target_slug, Link, "target_slug"),
                text=_fit(link.text, Link, "text"),
            )
            for link in parsed.links
        )
        self.report.articles += 1
        self.report.episode_ids.add(episode.pk)

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

    def write_sections(
        self, article: Article, parsed_sections: list[ParsedSection]
    ) -> list[tuple[Section, ParsedSection]]:
        """Create the sections depth by depth (parents need ids); return them in order."""
        rows: list[tuple[Section, ParsedSection]] = []
        by_depth: list[list[tuple[Section, Section | None]]] = []

        def visit(items: list[ParsedSection], parent: Section | None, depth: int) -> None:
            for parsed in items:
                section = Section(
                    article=article,
                    level=parsed.level,
                    title=_fit(parsed.title or "", Section, "title"),
                    position=len(rows),
                )
                rows.append((section, parsed))
                _at_depth(by_depth, depth).append((section, parent))
                visit(parsed.children, section, depth + 1)

        visit(parsed_sections, None, 0)
        _create_depth_by_depth(Section, by_depth)
        return rows

    def write_claims(
        self, article: Article, episode: Episode, sections: list[tuple[Section, ParsedSection]]
    ) -> None:
        claims: list[tuple[Claim, ParsedClaim]] = []
        by_depth: list[list[tuple[Claim, Claim | None]]] = []
        seen_keys: dict[str, int] = {}

        def visit(
            items: list[ParsedClaim], section: Section, parent: Claim | None, depth: int
        ) -> None:
            for parsed in items:
                key = _claim_key(parsed)
                seen_keys[key] = seen_keys.get(key, 0) + 1
                if seen_keys[key] > 1:
                    key = f"{key}-{seen_keys[key]}"
                claim = Claim(
                    article=article,
                    section=section,
                    kind=parsed.kind,
                    label=_fit(parsed.label, Claim, "label"),
                    text=parsed.text,
                    html=parsed.html,
                    position=len(claims),
                    depth=depth,
                    key=key,
                )
                claims.append((claim, parsed))
                _at_depth(by_depth, depth).append((claim, parent))
                visit(parsed.children, section, claim, depth + 1)

        for section, parsed_section in sections:
            visit(parsed_section.claims, section, None, 0)
        _create_depth_by_depth(Claim, by_depth)

        timestamps = [
            Timestamp(
                claim=claim,
                episode=episode,
                seconds=stamp.seconds,
                segment=stamp.segment,
                position=position,
            )
            for claim, parsed in claims
            for position, stamp in enumerate(parsed.timestamps)
        ]
        Timestamp.objects.bulk_create(timestamps)
        self.report.claims += len(claims)
        self.report.timestamps += len(timestamps)

    # Channel index and directory pages

    def apply_page(self, display_path: str, page: ParsedChannelIndex | ParsedDirectory) -> None:
        try:
            with transaction.atomic():
                if isinstance(page, ParsedChannelIndex):
                    self.apply_channel_index(page)
                else:
                    self.apply_directory(page)
        except DatabaseError as error:
            self.channels.clear()
            self.episodes.clear()
            self.report.errors.append(f"{display_path}:1: could not be saved ({error})")

    def apply_channel_index(self, index: ParsedChannelIndex) -> None:
        channel = self.channel(index.slug, None)
        for indexed in index.episodes:
            episode = self.episode(indexed.video_id)
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
            Channel.objects.filter(slug=slug).exclude(name=name).update(
                name=_fit(name, Channel, "name")
            )
        self.channels.clear()


def _at_depth(by_depth: list[list], depth: int) -> list:
    while len(by_depth) <= depth:
        by_depth.append([])
    return by_depth[depth]


def _create_depth_by_depth(model: type, by_depth: list[list[tuple]]) -> None:
    """Insert rows of a tree one depth at a time, so each parent has its id before its children."""
    for rows in by_depth:
        for row, parent in rows:
            row.parent = parent
        model.objects.bulk_create([row for row, _ in rows])


def _claim_key(claim: ParsedClaim) -> str:
    """A key that survives reordering: what the claim says, not where it stands."""
    normalised = " ".join(f"{claim.label} {claim.text}".lower().split())
    return hashlib.sha1(normalised.encode()).hexdigest()[:16]


def _fit(value: str, model: type, field_name: str) -> str:
    """Cut a value to its column's length, so PostgreSQL never refuses an over-long title."""
    limit = model._meta.get_field(field_name).max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


def iter_report_lines(report: ImportReport) -> Iterator[str]:
    yield from report.warnings
    yield from report.errors

"""One prepared article written to the database, in place of the version imported before.

The writer files the article under its channel and episode (creating them the first time),
inserts or updates the article row, replaces its sections, claims, timestamps and links with
plain INSERTs (`rows.py`), carries annotations over to the new claims (`carry_over.py`) and
hands the search index the words the parsing worker made. It runs inside the caller's
savepoint, so a file the database refuses leaves nothing behind.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from apps.episodes.corrections import (
    WrittenStamp,
    implausible,
    mmss_reading,
    reapply_corrections,
)
from apps.episodes.models import (
    Article,
    Channel,
    Claim,
    Episode,
    Section,
    Timestamp,
    TimestampCorrection,
)
from apps.ingest import rows
from apps.ingest.carry_over import ClaimText, annotated_claims, carry_annotations_over
from apps.ingest.links import insert_links
from apps.reader import PARSER_VERSION, ClaimRow, PreparedArticle, SectionRow, TimestampRow
from apps.reader.slugs import link_key
from apps.reader.timecode import format_timecode
from apps.reader.words import index_text
from apps.search.indexing import index_article

ARTICLE_COLUMNS = [
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
SECTION_COLUMNS = ["article_id", "parent_id", "level", "title", "position"]
CLAIM_COLUMNS = [
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
TIMESTAMP_COLUMNS = ["claim_id", "episode_id", "seconds", "position"]


class ArticleIdentity(NamedTuple):
    """What makes an article the same one again: its channel and its slug."""

    channel_id: int | None
    slug: str


class SavedArticle(NamedTuple):
    article_id: int
    new: bool  # inserted now, not updated in place
    annotated: list[ClaimText]  # its old claims that carry annotations, to be carried over


class WrittenClaim(NamedTuple):
    id: int
    key: str
    label: str  # as written: cut to fit its column
    text: str


class WrittenArticle(NamedTuple):
    article_id: int
    episode_id: int
    claims: int
    timestamps: int
    warnings: tuple[str, ...] = ()  # "path:line: message", beside the reader's own


class ArticleWriter:
    """Writes prepared articles one at a time, remembering channels, episodes and articles."""

    def __init__(self) -> None:
        self.forget_rows()

    def forget_rows(self) -> None:
        """(Re)load what the writer looks up for every file: a handful of queries per run."""
        self.reload_channels()
        self.episodes: dict[str, Episode] = {e.video_id: e for e in Episode.objects.all()}
        self.article_ids: dict[ArticleIdentity, int] = {
            ArticleIdentity(channel_id, slug): pk
            for pk, channel_id, slug in Article.objects.values_list("pk", "channel_id", "slug")
        }
        # Articles with corrections in force: only these need them put back after a rewrite.
        self.corrected_article_ids: set[int] = set(
            TimestampCorrection.objects.in_force().values_list("article_id", flat=True)
        )

    def reload_channels(self) -> None:
        self.channels: dict[str, Channel] = {c.slug: c for c in Channel.objects.all()}

    def channel(self, slug: str, name: str | None) -> Channel:
        """The channel of that slug, created if new, and named if it has only its slug yet."""
        channel = self.channels.get(slug)
        if channel is None:
            channel = Channel.objects.create(
                slug=slug, name=rows.fit(name or slug, Channel, "name")
            )
            self.channels[slug] = channel
        if name and name != slug and channel.name == channel.slug:
            channel.name = rows.fit(name, Channel, "name")
            channel.save(update_fields=["name"])
        return channel

    def episode(self, video_id: str, title: str = "", channel: Channel | None = None) -> Episode:
        """The episode of that video, created (under `channel`) the first time."""
        episode = self.episodes.get(video_id)
        if episode is None:
            episode = Episode.objects.create(
                video_id=video_id, title=rows.fit(title, Episode, "title"), channel=channel
            )
            self.episodes[video_id] = episode
        elif not episode.listed:
            # A document about the video confirms an episode a person added: it is listed,
            # under the document's title rather than the one they typed.
            episode.listed = True
            if title and not episode.titled_by_index:
                episode.title = rows.fit(title, Episode, "title")
            episode.save(update_fields=["listed", "title"])
        return episode

    def write_article(
        self, parsed: PreparedArticle, display_path: str, digest: str
    ) -> WrittenArticle:
        """Write the article and everything in it; what was written, for the import's report."""
        channel = (
            self.channel(parsed.channel_slug, parsed.channel_name) if parsed.channel_slug else None
        )
        episode = self._episode_of(parsed, channel)
        saved = self._save_article(parsed, channel, episode, display_path, digest)
        ids = rows.reserve_ids({Section: len(parsed.sections), Claim: len(parsed.claims)})
        # Nothing below waits for an answer, the ids being reserved: one round trip for all.
        with rows.pipelined():
            write_sections(saved.article_id, parsed.sections, ids[Section])
            claims = write_claims(saved.article_id, parsed.claims, ids[Section], ids[Claim])
            timestamps = write_timestamps(episode.pk, parsed.timestamps, [c.id for c in claims])
            insert_links(saved.article_id, parsed.links)
        if saved.annotated:
            carry_annotations_over(
                saved.annotated, [ClaimText.of(c.id, c.key, c.label, c.text) for c in claims]
            )
        index_claims(saved, claims, parsed)
        warnings: list[str] = []
        corrected: set[tuple[int, int]] = set()
        if saved.article_id in self.corrected_article_ids:
            warnings, corrected = corrections_kept(saved.article_id, parsed, claims, display_path)
        warnings += implausible_times(parsed, episode, display_path, corrected)
        return WrittenArticle(
            saved.article_id, episode.pk, len(claims), timestamps, tuple(warnings)
        )

    def _episode_of(self, parsed: PreparedArticle, channel: Channel | None) -> Episode:
        """The article's episode, filed under its channel and titled by the article if untitled.

        A title the channel's index gave is the episode's real one: an article never replaces it.
        """
        episode = self.episode(parsed.video_id, parsed.title, channel)
        changes = []
        if episode.channel_id is None and channel is not None:
            episode.channel = channel
            changes.append("channel")
        if not episode.titled_by_index and not episode.title:
            episode.title = rows.fit(parsed.title, Episode, "title")
            changes.append("title")
        if changes:
            episode.save(update_fields=changes)
        return episode

    def _save_article(
        self,
        parsed: PreparedArticle,
        channel: Channel | None,
        episode: Episode,
        display_path: str,
        digest: str,
    ) -> SavedArticle:
        """Insert the article, or update it in place and clear what it held before.

        An article keeps its id across imports: links and annotations point at it.
        """
        article = Article(
            episode=episode,
            channel=channel,
            slug=parsed.slug,
            title=rows.fit(parsed.title, Article, "title"),
            summary=parsed.summary,
            source_path=rows.fit(display_path, Article, "source_path"),
            source_sha256=digest,
            parser_version=PARSER_VERSION,
        )
        identity = ArticleIdentity(channel.pk if channel else None, parsed.slug)
        article.pk = self.article_ids.get(identity)
        if article.pk is None:
            self.article_ids[identity] = insert_article(article).pk
            return SavedArticle(article.pk, True, [])
        article.save(force_update=True)
        annotated = annotated_claims(article.pk)
        rows.delete_article_rows(article.pk)
        return SavedArticle(article.pk, False, annotated)


def insert_article(article: Article) -> Article:
    """INSERT a new article as `save()` would, without the ORM's per-object work.

    Its receivers need not run: the search index is told by `index_article`, and the importer
    bumps the content version in the transaction that writes the article.
    """
    article.link_key = link_key(article.slug)
    article.updated = timezone.now()
    row = [getattr(article, column) for column in ARTICLE_COLUMNS]
    row[ARTICLE_COLUMNS.index("updated")] = connection.ops.adapt_datetimefield_value(
        article.updated
    )
    [inserted] = rows.insert_rows(Article, ARTICLE_COLUMNS, [row], returning="slug")
    article.pk = inserted.id
    article._state.adding = False
    article._state.db = connection.alias
    return article


def write_sections(article_id: int, sections: list[SectionRow], ids: list[int]) -> None:
    """Insert the sections with the ids reserved for them, in document order."""
    rows.insert_rows(
        Section,
        ["id", *SECTION_COLUMNS],
        [
            [
                ids[position],
                article_id,
                rows.parent_id(ids, section.parent),
                section.level,
                rows.fit(section.title, Section, "title"),
                position,
            ]
            for position, section in enumerate(sections)
        ],
    )


def write_claims(
    article_id: int, claims: list[ClaimRow], section_ids: list[int], ids: list[int]
) -> list[WrittenClaim]:
    """Insert the claims with the ids reserved for them; each one as written, in document
    order."""
    labels = [rows.fit(claim.label, Claim, "label") for claim in claims]
    rows.insert_rows(
        Claim,
        ["id", *CLAIM_COLUMNS],
        [
            [
                ids[position],
                article_id,
                section_ids[claim.section],
                rows.parent_id(ids, claim.parent),
                claim.kind,
                label,
                claim.text,
                claim.html,
                position,
                claim.depth,
                claim.key,
            ]
            for position, (claim, label) in enumerate(zip(claims, labels, strict=True))
        ],
    )
    return [
        WrittenClaim(claim_id, claim.key, label, claim.text)
        for claim_id, claim, label in zip(ids, claims, labels, strict=True)
    ]


def write_timestamps(episode_id: int, timestamps: list[TimestampRow], claim_ids: list[int]) -> int:
    """Insert the claims' timestamps; how many there were."""
    rows.insert_rows(
        Timestamp,
        TIMESTAMP_COLUMNS,
        [
            (claim_ids[stamp.claim], episode_id, stamp.seconds, stamp.position)
            for stamp in timestamps
        ],
    )
    return len(timestamps)


def index_claims(saved: SavedArticle, claims: list[WrittenClaim], parsed: PreparedArticle) -> None:
    """Give the search index the article's claims, with the words the parsing worker made."""
    # Claims were written with plain INSERTs, which send no signal: the index is told here.
    claim_words = {}
    for claim, prepared, words in zip(claims, parsed.claims, parsed.search, strict=True):
        if claim.label is not prepared.label:  # a label cut to fit its column
            words = words._replace(label=index_text(claim.label))
        claim_words[claim.id] = words
    index_article(saved.article_id, claim_words, new=saved.new)


def corrections_kept(
    article_id: int, parsed: PreparedArticle, claims: list[WrittenClaim], display_path: str
) -> tuple[list[str], set[tuple[int, int]]]:
    """Put the article's timestamp corrections back; a warning where the source moved since."""
    stamps = [
        WrittenStamp(
            stamp.claim,
            claims[stamp.claim].id,
            claims[stamp.claim].key,
            stamp.position,
            stamp.seconds,
        )
        for stamp in parsed.timestamps
    ]
    lines = {(stamp.claim, stamp.position): stamp.line for stamp in parsed.timestamps}
    reapplied = reapply_corrections(article_id, stamps)
    warnings = [
        f"{display_path}:{lines[(moved.claim_index, moved.position)]}: timestamp "
        f"{format_timecode(moved.now)} was {format_timecode(moved.was)} when it was corrected "
        f"to {format_timecode(moved.corrected_to)}; the correction is kept"
        for moved in reapplied.moved
    ]
    # Where the claim was is unknown now: the report names the document's first line.
    warnings += [
        f"{display_path}:1: the correction of {format_timecode(lost.seconds_from)} to "
        f"{format_timecode(lost.seconds_to)} no longer finds its timestamp (its claim changed "
        "or lost it); it is kept, and applies again if the claim comes back"
        for lost in reapplied.lost
    ]
    return warnings, reapplied.corrected


def implausible_times(
    parsed: PreparedArticle,
    episode: Episode,
    display_path: str,
    corrected: set[tuple[int, int]],
) -> list[str]:
    """One warning for an article whose times look like minutes written as hours (MM:SS:00).

    Past the episode's end when its length is known, else at six hours or more; the review
    page lists each of them with the reading that explains it.
    """
    suspects = [
        stamp
        for stamp in parsed.timestamps
        if implausible(stamp.seconds, episode.duration_seconds)
        and (stamp.claim, stamp.position) not in corrected
        and mmss_reading(stamp.seconds) is not None
    ]
    if not suspects:
        return []
    first = suspects[0]
    where = (
        f"past the episode's end ({format_timecode(episode.duration_seconds)})"
        if episode.duration_seconds
        else "at six hours or more"
    )
    return [
        f"{display_path}:{first.line}: {len(suspects)} timestamp(s) {where}, first "
        f"{format_timecode(first.seconds)}: read as MM:SS:00 it is "
        f"{format_timecode(mmss_reading(first.seconds))}; see the timestamp review page"
    ]

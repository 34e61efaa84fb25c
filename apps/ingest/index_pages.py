"""Channel index and directory pages: the real titles of episodes, the names of channels.

They name episodes and channels that articles create, so the importer applies them after
every article of its run, each in a savepoint of its own.
"""

from __future__ import annotations

from apps.episodes.models import Channel, ContentVersion, Episode
from apps.ingest import rows
from apps.ingest.writer import ArticleWriter
from apps.reader import ParsedChannelIndex, ParsedDirectory
from apps.search.indexing import episodes_retitled


def apply_page(writer: ArticleWriter, page: ParsedChannelIndex | ParsedDirectory) -> None:
    if isinstance(page, ParsedChannelIndex):
        apply_channel_index(writer, page)
    else:
        apply_directory(writer, page)


def apply_channel_index(writer: ArticleWriter, index: ParsedChannelIndex) -> None:
    """Title and file the episodes it lists; it creates none (they come with articles)."""
    if not index.slug:
        return  # its file name holds nothing a URL may carry: no channel to file them under
    channel = writer.channel(index.slug, None)
    changed = {}
    for indexed in index.episodes:
        episode = writer.episodes.get(indexed.video_id)
        if episode is None:
            continue
        title = rows.fit(indexed.title, Episode, "title")
        if (episode.title, episode.channel_id, episode.titled_by_index) != (
            title,
            channel.pk,
            True,
        ):
            episode.title = title
            episode.channel = channel
            episode.titled_by_index = True
            changed[episode.pk] = episode  # an index may list an episode twice
    if changed:
        # One statement for the whole page, where saving each episode cost several.
        rows.update_rows(
            Episode,
            ["title", "channel_id", "titled_by_index"],
            [(episode.title, channel.pk, True, episode.pk) for episode in changed.values()],
        )
        ContentVersion.bump()  # an UPDATE sends no signal
        episodes_retitled(list(changed.values()))


def apply_directory(writer: ArticleWriter, directory: ParsedDirectory) -> None:
    """Name the channels it lists (a channel is known by its slug until then)."""
    for slug, name in directory.channels:
        renamed = (
            Channel.objects.filter(slug=slug)
            .exclude(name=name)
            .update(name=rows.fit(name, Channel, "name"))
        )
        if renamed:  # an UPDATE sends no signal
            ContentVersion.bump()
    writer.reload_channels()

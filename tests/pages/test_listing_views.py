"""The home page's channels and recently annotated episodes; a channel page's counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.annotations.models import Annotation
from apps.episodes.models import Episode
from tests.annotations.factories import make_annotation, make_user
from tests.episodes.factories import make_article, make_channel, make_claim, make_episode
from tests.pages.test_views import elements, page_text

pytestmark = pytest.mark.django_db

PUBLIC, PRIVATE = Annotation.Visibility.PUBLIC, Annotation.Visibility.PRIVATE


def episode_with_moments(channel, title: str, moments: list[list[int]]) -> Episode:
    """An episode of one article per entry of `moments`, each a claim with those seconds."""
    episode = make_episode(channel=channel, title=title)
    for seconds in moments:
        make_claim(make_article(episode), seconds=seconds)
    return episode


def card_text(response, title: str) -> str:
    text = page_text(response)
    start = text.index(title)
    return text[start : text.index("imported", start)].strip()


def test_channel_page_counts_articles_moments_and_visible_notes(client) -> None:
    channel = make_channel(slug="space", name="Space")
    episode = episode_with_moments(channel, "The real title", [[5, 69], [120], []])
    quiet = episode_with_moments(channel, "Quiet one", [[]])
    reader, other = make_user(), make_user()
    claim = episode.articles.first().claims.first()
    make_annotation(other, claim=claim, visibility=PUBLIC)
    make_annotation(reader, claim=claim, visibility=PRIVATE)
    make_annotation(other, claim=claim, visibility=PRIVATE)  # never counted for the reader

    anonymous = client.get(channel.get_absolute_url())
    client.force_login(reader)
    signed_in = client.get(channel.get_absolute_url())

    assert card_text(anonymous, "The real title") == (
        "The real title 3 articles 3 claims 3 timestamped moments 1 note"
    )
    assert card_text(signed_in, "The real title") == (
        "The real title 3 articles 3 claims 3 timestamped moments 2 notes"
    )
    assert card_text(signed_in, quiet.title) == "Quiet one 1 article 1 claim 0 timestamped moments"


def channel_page_queries(client, episodes: int) -> int:
    channel = make_channel()
    for i in range(episodes):
        episode = episode_with_moments(channel, f"Episode {i}", [[i, i + 1]])
        make_annotation(make_user(), episode=episode, seconds=i, visibility=PUBLIC)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(channel.get_absolute_url())
    assert page_text(response).count("2 timestamped moments") == episodes
    return len(queries)


def test_channel_page_query_count_does_not_grow_with_episodes(client) -> None:
    # The channel, the count for the pager, and the page of episodes with their counts.
    assert channel_page_queries(client, 2) == channel_page_queries(client, 30) == 3


def noted(author, episode: Episode, visibility: str, minutes_ago: int) -> Annotation:
    note = make_annotation(author, episode=episode, seconds=1, visibility=visibility)
    Annotation.objects.filter(pk=note.pk).update(
        created=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return note


def recently_annotated(response) -> list[str]:
    """The titles in the page's "Recently annotated" panel, in order."""
    body = response.content.decode()
    if "data-recently-annotated" not in body:
        return []
    panel = body[body.index("data-recently-annotated") :]
    panel = panel[: panel.index("</section>")]
    return re.findall(r'<a href="/episodes/[^"]+/">([^<]*)</a>', panel)


def test_home_lists_recently_annotated_episodes_by_newest_visible_note(client) -> None:
    reader, other = make_user(), make_user()
    first, second, third, fourth = (
        make_episode(title=title) for title in ("First", "Second", "Third", "Fourth")
    )
    noted(other, first, PUBLIC, minutes_ago=30)
    noted(other, second, PUBLIC, minutes_ago=20)
    noted(reader, third, PRIVATE, minutes_ago=10)
    # Someone else's private notes neither list an episode nor move one up.
    noted(other, fourth, PRIVATE, minutes_ago=1)
    noted(other, first, PRIVATE, minutes_ago=2)

    anonymous = recently_annotated(client.get("/"))
    client.force_login(reader)
    signed_in = recently_annotated(client.get("/"))
    client.force_login(other)
    author = recently_annotated(client.get("/"))

    assert anonymous == ["Second", "First"]
    assert signed_in == ["Third", "Second", "First"]
    assert author == ["Fourth", "First", "Second"]


def test_home_lists_channels_with_their_episode_counts(client) -> None:
    space = make_channel(slug="space", name="space")
    make_channel(slug="empty", name="Empty")
    make_episode(channel=space)
    make_episode(channel=space)
    make_episode(channel=make_channel(slug="time", name="Time"))

    response = client.get("/")

    assert "Channels space 2 episodes Time 1 episode" in page_text(response)
    assert "Empty" not in page_text(response).split("Channels", 1)[1]
    hrefs = [attrs["href"] for tag, attrs in elements(response, "href")]
    assert "/channels/space/" in hrefs


def test_home_keeps_newest_import_first_with_counts(client) -> None:
    older = episode_with_moments(None, "Older", [[1, 2]])
    newer = episode_with_moments(None, "Newer", [[3]])
    Episode.objects.filter(pk=older.pk).update(imported=timezone.now() - timedelta(days=1))

    response = client.get("/")

    titles = [
        attrs["href"] for tag, attrs in elements(response, "href") if "/episodes/" in attrs["href"]
    ]
    assert titles[:2] == [newer.get_absolute_url(), older.get_absolute_url()]
    assert card_text(response, "Older") == "Older 1 article 1 claim 2 timestamped moments"


def home_queries(client, episodes: int) -> int:
    channel = make_channel()
    for i in range(episodes):
        episode = episode_with_moments(channel, f"Episode {i}", [[i]])
        make_annotation(make_user(), episode=episode, seconds=i, visibility=PUBLIC)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    return len(queries)


def test_home_query_count_does_not_grow_with_episodes(client) -> None:
    # The count for the pager, the page of episodes, recently annotated, channels.
    assert home_queries(client, 2) == home_queries(client, 30) == 4

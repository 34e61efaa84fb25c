"""Each endpoint runs the same number of queries for a page of 10 items as for 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.episodes.models import Channel, Episode
from tests.episodes.factories import make_channel, make_episode, make_long_article

pytestmark = pytest.mark.django_db

# A paginated list runs its count and its page; claims add their prefetched timestamps, and a
# filter naming an episode or channel adds looking it up. The episode tree: the episode, its
# articles, and their sections, claims and timestamps.
EXPECTED = {
    "/api/episodes": 2,
    "/api/episodes?channel=big-channel": 3,
    "/api/claims?episode={video_id}": 4,
    "/api/claims?episode={video_id}&at=600&start=0&end=3000&q=claim": 4,
    "/api/claims/{claim_id}": 2,
    # Search: its count, the ranked page from the full-text index, those claims, their timestamps.
    "/api/search?q=claim%20number": 4,
    "/api/episodes/{video_id}": 5,
}


def make_content(size: int) -> dict[str, object]:
    """`size` episodes in one channel; one of them has an article of `size` claims."""
    Channel.objects.all().delete()
    Episode.objects.all().delete()
    channel = make_channel(slug="big-channel")
    episode = make_episode(video_id=f"big{size:08d}", channel=channel)
    article = make_long_article(episode, claims=size)
    Episode.objects.bulk_create(
        Episode(video_id=f"e{size:03d}{number:07d}", channel=channel) for number in range(size - 1)
    )
    return {"video_id": episode.video_id, "claim_id": article.claims.first().pk}


def queries_and_items(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + ("&" if "?" in url else "?") + "limit=500")
    assert response.status_code == 200, response.content
    body = response.json()
    if "items" in body:
        return len(queries), len(body["items"])
    if "articles" in body:
        return len(queries), sum(len(s["claims"]) for s in body["articles"][0]["sections"])
    return len(queries), 1


@pytest.mark.parametrize("url", list(EXPECTED))
def test_query_count_does_not_grow_with_the_page(client, url: str) -> None:
    small_queries, small_items = queries_and_items(client, url.format(**make_content(10)))
    large_queries, large_items = queries_and_items(client, url.format(**make_content(500)))

    assert small_queries == large_queries == EXPECTED[url]
    if "{claim_id}" not in url and "at=" not in url:
        assert (small_items, large_items) == (10, 500)

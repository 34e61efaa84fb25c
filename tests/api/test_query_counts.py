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
    # Search: find the matches (with the capped count) and rank them, which SQLite does in a
    # query of its own (see `queries._ranked_documents`), then read those claims.
    "/api/search?q=claim%20number": {"sqlite": 3, "postgresql": 2},
    # The episode tree: the content version (for the kept answer), then five to build it.
    "/api/episodes/{video_id}": 6,
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

    expected = EXPECTED[url]
    if isinstance(expected, dict):
        expected = expected[connection.vendor]
    assert small_queries == large_queries == expected
    if "{claim_id}" not in url and "at=" not in url:
        assert (small_items, large_items) == (10, 500)


def make_notes(size: int) -> dict[str, str]:
    """`size` public notes by one author, and that author's token."""
    from apps.accounts.tokens import api_token_create
    from apps.annotations.models import Annotation
    from tests.annotations.factories import make_user

    Annotation.objects.all().delete()
    episode = make_episode(video_id=f"notes{size:06d}")
    author = make_user()
    Annotation.objects.bulk_create(
        Annotation(author=author, episode=episode, body=f"Note {number}", visibility="public")
        for number in range(size)
    )
    _, key = api_token_create(user=author, name=f"count-{size}")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    ("with_token", "expected"),
    # The count, the page (with episodes and authors joined, replies counted) and the page's
    # tags; a token adds finding it and noting its last use.
    [(False, 3), (True, 5)],
)
def test_annotation_list_queries_do_not_grow_with_the_page(
    client, with_token: bool, expected: int
) -> None:
    counts = []
    for size in (10, 500):
        headers = make_notes(size) if with_token else (make_notes(size) and {})
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/annotations?limit=500", headers=headers)
        assert len(response.json()["items"]) == size
        counts.append(len(queries))

    assert counts == [expected, expected]

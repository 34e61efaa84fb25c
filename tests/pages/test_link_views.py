"""Links, mentions and related episodes on the episode page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.episodes.links import related_episodes
from apps.episodes.models import Claim, Episode
from apps.ingest.importer import import_paths
from tests.episodes.factories import make_article, make_channel, make_episode, make_link
from tests.ingest.seed_files import document, write
from tests.pages.test_views import (
    EPISODE_PAGE_QUERIES,
    WITHOUT_SESSION_QUERIES,
    elements,
    page_text,
)

pytestmark = pytest.mark.django_db


def test_resolved_links_open_their_article_and_unresolved_ones_are_plain_text(client) -> None:
    channel = make_channel(slug="space")
    episode = make_episode(video_id="AAAAAAAAAAA", channel=channel, title="Here")
    elsewhere = make_episode(video_id="BBBBBBBBBBB", channel=channel, title="Stars & holes")
    article = make_article(episode, title="Gravity", slug="gravity")
    neighbour = make_article(episode, title="Orbits", slug="orbits")
    holes = make_article(elsewhere, title="Black holes", slug="black_holes")
    claim = make_link(article, "black_holes", text="holes", target=holes)
    make_link(article, "orbits", text="orbits", target=neighbour)
    make_link(article, "dark_matter", text="dark matter")

    response = client.get(episode.get_absolute_url())

    links = [attrs for tag, attrs in elements(response, "class") if "wikilink" in attrs["class"]]
    assert links == [
        {
            "class": "wikilink",
            "href": "/episodes/BBBBBBBBBBB/#a-black_holes",
            "title": "Black holes · Stars & holes",
        },
        {"class": "wikilink", "href": "#a-orbits", "title": "Orbits"},
        {
            "class": "wikilink wikilink--unresolved",
            "title": "“dark_matter” is not imported yet",
        },
    ]
    assert "See dark matter ." in page_text(response)
    # The stored HTML stays as imported: a target imported later is linked on the next view.
    assert 'data-target-slug="black_holes"' in Claim.objects.get(pk=claim.pk).html


def test_hostile_slugs_and_titles_are_escaped_in_links(client) -> None:
    episode = make_episode(video_id="AAAAAAAAAAA")
    elsewhere = make_episode(video_id="BBBBBBBBBBB", title="<script>alert(1)</script>")
    article = make_article(episode)
    slug = '"><img src=x onerror=alert(1)>'
    target = make_article(elsewhere, title="</a><script>alert(2)</script>", slug=slug)
    make_link(article, slug, text="<b>bold</b>", target=target)
    make_link(article, "x\"' onmouseover='alert(3)", text="<i>gone</i>")

    body = client.get(episode.get_absolute_url()).content.decode()

    assert "<script>alert" not in body and "<img src=x" not in body and "<b>bold" not in body
    assert "onmouseover='alert" not in body
    assert (
        'href="/episodes/BBBBBBBBBBB/#a-%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E"' in body
    )


def test_articles_show_where_else_they_are_mentioned(client) -> None:
    episode = make_episode(video_id="AAAAAAAAAAA", title="Here")
    holes = make_article(episode, title="Black holes", slug="black_holes")
    quiet = make_article(episode, title="Quiet", slug="quiet")
    make_link(make_article(episode, title="Same page"), "black_holes", target=holes)
    for i in range(7):
        other = make_episode(title=f"Episode {i}")
        source = make_article(other, title=f"Mention {i}", slug=f"mention_{i}")
        make_link(source, "black_holes", target=holes)
        make_link(source, "black_holes", target=holes)  # twice, listed once

    response = client.get(episode.get_absolute_url())

    mentions = [attrs for tag, attrs in elements(response, "data-mentions")]
    assert len(mentions) == 1  # none for "Quiet", and the same page does not count
    text = page_text(response).replace(" ,", ",")
    assert (
        "Mentioned in Mention 0 (Episode 0), Mention 1 (Episode 1), Mention 2 (Episode 2), "
        "Mention 3 (Episode 3), Mention 4 (Episode 4) and 2 more"
    ) in text
    hrefs = [attrs["href"] for tag, attrs in elements(response, "href")]
    first = Episode.objects.get(title="Episode 0")
    assert f"/episodes/{first.video_id}/#a-mention_0" in hrefs
    assert quiet.title in text


def test_related_episodes_rank_by_links_shared_and_direct() -> None:
    first_target = make_episode(title="Holds t1")
    second_target = make_episode(title="Holds t2")
    episode = make_episode(title="Here")
    shares_two = make_episode(title="Links to t1 and t2")
    links_here = make_episode(title="Links here")
    unrelated = make_episode(title="Unrelated")
    t1 = make_article(first_target, slug="t1")
    t2 = make_article(second_target, slug="t2")
    here = make_article(episode, slug="here")
    make_link(here, "t1", target=t1)
    make_link(here, "t2", target=t2)
    make_link(here, "t2", target=t2)
    sharer = make_article(shares_two)
    make_link(sharer, "t1", target=t1)
    make_link(sharer, "t2", target=t2)
    make_link(make_article(links_here), "here", target=here)
    make_link(make_article(unrelated), "nothing")
    make_link(make_article(unrelated), "t3")

    related = related_episodes(episode)

    assert [(e.title, e.shared_links) for e in related] == [
        ("Links to t1 and t2", 2),
        ("Links here", 1),  # ties: newest import first
        ("Holds t2", 1),
        ("Holds t1", 1),
    ]


def test_related_episodes_are_listed_under_the_notes(client) -> None:
    episode = make_episode(title="Here")
    other = make_episode(title="Over there")
    make_link(make_article(other), "here", target=make_article(episode, slug="here"))

    response = client.get(episode.get_absolute_url())

    assert [attrs for tag, attrs in elements(response, "data-related-episodes")]
    assert "Related episodes Over there 1 shared link" in page_text(response)


def linked_page_queries(client, links: int) -> int:
    """Queries for a page whose articles link out `links` times and are linked as often."""
    episode = make_episode()
    articles = [make_article(episode) for _ in range(3)]
    for i in range(links):
        other = make_episode()
        target = make_article(other)
        make_link(articles[i % 3], target.slug, target=target)
        make_link(make_article(other), articles[i % 3].slug, target=articles[(i + 1) % 3])
        make_link(articles[i % 3], f"missing_{i}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(episode.get_absolute_url())
    assert response.content.decode().count('class="wikilink"') == links
    return len(queries)


def test_episode_page_query_count_does_not_grow_with_links(client) -> None:
    # These pages have no notes, so no query asks for the notes' tags, or loads notes whole.
    expected = EPISODE_PAGE_QUERIES - 3 + WITHOUT_SESSION_QUERIES
    assert linked_page_queries(client, 2) == linked_page_queries(client, 40) == expected


def test_a_kept_page_links_a_target_imported_after_it_was_kept(client, tmp_path: Path) -> None:
    write(tmp_path, "src.md", document("Source", "AAAAAAAAAAA", "a", "See [[black_holes]]."))
    import_paths([tmp_path / "src.md"])
    url = "/episodes/AAAAAAAAAAA/"
    assert 'class="wikilink wikilink--unresolved"' in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "wikilink--unresolved" in client.get(url).content.decode()
    assert len(queries) == 1  # the page as kept

    write(tmp_path, "holes.md", document("Black holes", "BBBBBBBBBBB", "a"))
    import_paths([tmp_path / "holes.md"])

    body = client.get(url).content.decode()
    assert 'href="/episodes/BBBBBBBBBBB/#a-black_holes"' in body
    assert "Related episodes" in body

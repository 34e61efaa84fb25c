"""The search page: a plain GET form, results grouped by episode, htmx fragments."""

from __future__ import annotations

import pytest

from tests.annotations.factories import make_annotation

pytestmark = pytest.mark.django_db


def test_results_are_grouped_by_episode_and_link_to_their_moment(client, library) -> None:
    claim = library.claim("RLHF")

    response = client.get("/search/", {"q": "bullet"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-search-episode=") == 2
    assert html.index('data-search-episode="searchvid02"') < html.index(
        'data-search-episode="searchvid01"'
    )
    assert f'href="/episodes/searchvid01/?t=120#c{claim.pk}"' in html
    assert "<mark>bullet</mark>" in html
    assert 'data-search-count="3"' in html


def test_the_page_works_as_a_plain_form_and_keeps_the_query(client, library) -> None:
    html = client.get("/search/", {"q": 'say "hi'}).content.decode()

    assert '<form class="search-form" method="get" action="/search/" role="search">' in html
    assert 'value="say &quot;hi"' in html
    assert 'hx-push-url="true"' in html
    assert "Nothing matches “say &quot;hi”." in html


def test_htmx_gets_only_the_results(client, library) -> None:
    html = client.get("/search/", {"q": "tokens"}, headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<div id="search-results"')
    assert "<form" not in html


def test_htmx_restoring_history_gets_the_whole_page(client, library) -> None:
    html = client.get(
        "/search/",
        {"q": "tokens"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ).content.decode()

    assert html.count("<html") == 1
    assert 'value="tokens"' in html
    assert "<mark>tokens</mark>" in html


def test_private_notes_of_others_never_show(client, library, ada, bob) -> None:
    make_annotation(bob, episode=library.bullets, body="secret walrus")
    make_annotation(ada, episode=library.bullets, body="my walrus")
    client.force_login(ada)

    html = client.get("/search/", {"q": "walrus"}).content.decode()

    assert "my <mark>walrus</mark>" in html
    assert "secret" not in html


def test_a_huge_query_is_answered(client, library) -> None:
    response = client.get("/search/", {"q": "tokens " * 700 + '"\x01 AND ('})

    assert response.status_code == 200
    assert response.context["query"].startswith("tokens tokens")  # read, not refused


def test_the_header_and_episode_list_carry_a_search_box(client, library) -> None:
    episode_page = client.get("/episodes/searchvid01/").content.decode()
    episode_list = client.get("/").content.decode()

    assert 'id="site-search-q" name="q"' in episode_page
    assert 'id="episode-search-q" name="q"' in episode_list


def test_a_note_shows_its_text_escaped_and_a_repeated_title_once(client, library, ada) -> None:
    make_annotation(
        ada,
        episode=library.bullets,
        seconds=30,
        body="*now italic* and a [link](https://x.example) to <b>bold</b> otters",
        visibility="public",
    )

    html = client.get("/search/", {"q": "otters <b>"}).content.decode()
    claims = client.get("/search/", {"q": "dull"}).content.decode()

    assert (
        '<span class="search-hit-snippet">now italic and a link to &lt;<mark>b</mark>&gt;bold'
        "&lt;/<mark>b</mark>&gt; <mark>otters</mark></span>"
    ) in html
    assert "<b>" not in html
    assert 'value="otters &lt;b&gt;"' in html
    assert '<a href="/episodes/searchvid02/">Bullet points in chat models</a>' in claims
    assert claims.count("Bullet points in chat models") == 1

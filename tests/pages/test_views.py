from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from apps.annotations.models import Annotation
from apps.episodes.models import Claim, Episode
from tests.annotations.factories import make_user
from tests.episodes.factories import (
    make_article,
    make_channel,
    make_claim,
    make_episode,
    make_long_article,
    make_section,
)

pytestmark = pytest.mark.django_db

# One query each for the episode (with its channel), the rows of the notes the reader may see
# (with their authors' names and reply counts), their tags, the content's version, the
# articles (with their channels), the prefetched sections, claims and timestamps, the links'
# targets, the mentions elsewhere and the related episodes; and, for the notes whose HTML is
# not kept yet (all of them, the first time), the notes whole with their authors, and their
# tags. A signed-in reader adds three: the session, the user, and the session's generation
# (apps/accounts/sessions.py: "sign out everywhere").
EPISODE_PAGE_QUERIES = 13
# Once the content's pieces and the notes' HTML are kept (apps/pages/episode_pieces.py), the
# next reader's page asks only for the episode, the version, the notes' rows and their tags
# (the related episodes are kept with the content's pieces).
EPISODE_PAGE_KEPT_QUERIES = 4
SIGNED_IN_QUERIES = 3
# Without a session, one more query first asks whether the page may come from the cache
# (tests/pages/test_page_cache.py); these episodes have a public note, so it may not.
WITHOUT_SESSION_QUERIES = 1


class _Elements(HTMLParser):
    """Collects (tag, attributes, text) for every element, to assert on values."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(response, attribute: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(response.content.decode())
    return [(tag, attrs) for tag, attrs in parser.found if attribute in attrs]


def page_text(response) -> str:
    parser = _Elements()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.text).split())


def seed_like_episode() -> Episode:
    """An episode shaped like the seed: an untitled intro, nested sections, nested claims."""
    channel = make_channel(slug="dwarkesh", name="The Dwarkesh Podcast")
    episode = make_episode(video_id="Wo95ob_s_NI", channel=channel, title="John Schulman")
    article = make_article(
        episode, title="Challenges and advancements in AI training", slug="challenges"
    )
    intro = make_section(article, title="", level=0)
    understanding = make_section(article, title="Understanding training", level=2)
    pretraining = make_section(article, title="Pre-training", level=3, parent=understanding)
    make_claim(article, section=intro, text="This article summarizes insights.", kind="paragraph")
    objective = make_claim(
        article, section=pretraining, label="Objective", text="To imitate", seconds=[69, 97]
    )
    make_claim(article, parent=objective, text="Maximising log probability", seconds=[103])
    second = make_article(episode, title="Reasoning in AI models", slug="reasoning")
    make_claim(second, section=make_section(second, title="Reasoning", level=2), seconds=[3723])
    return episode


def test_episode_list_shows_newest_import_first_with_counts(client) -> None:
    older = make_episode(title="Older episode")
    newer = seed_like_episode()
    Episode.objects.filter(pk=older.pk).update(imported=newer.imported.replace(year=2000))

    response = client.get("/")

    assert response.status_code == 200
    titles = [attrs["href"] for tag, attrs in elements(response, "href") if tag == "a"]
    assert titles.index(newer.get_absolute_url()) < titles.index(older.get_absolute_url())
    text = page_text(response)
    assert "John Schulman" in text
    assert "2 articles" in text
    assert "4 claims" in text


def test_episode_list_channel_filter_narrows_to_that_channel(client) -> None:
    seed_like_episode()
    other = make_episode(channel=make_channel(slug="other", name="Other Show"), title="Elsewhere")

    response = client.get("/", {"channel": "other"})

    text = page_text(response)
    assert "Elsewhere" in text
    assert "John Schulman" not in text
    selected = [attrs for tag, attrs in elements(response, "selected") if tag == "option"]
    assert [attrs["value"] for attrs in selected] == ["other"]
    assert other.get_absolute_url() in response.content.decode()


def test_episode_list_htmx_request_gets_only_the_results_fragment(client) -> None:
    seed_like_episode()

    response = client.get("/", {"channel": "dwarkesh"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="episode-results"')
    assert "<html" not in body
    assert "John Schulman" in body


def test_episode_list_has_a_search_box_that_searches_every_episode(client) -> None:
    response = client.get("/")

    html = response.content.decode()
    assert len(elements(response, "data-search-input")) == 1
    assert '<form class="search-form" method="get" action="/search/" role="search">' in html


def test_channel_page_lists_only_its_episodes(client) -> None:
    episode = seed_like_episode()
    make_episode(channel=make_channel(slug="other"), title="Elsewhere")

    response = client.get(episode.channel.get_absolute_url())

    text = page_text(response)
    assert "The Dwarkesh Podcast" in text
    assert "John Schulman" in text
    assert "Elsewhere" not in text
    assert "1 episode" in text


def test_unknown_channel_is_404(client) -> None:
    assert client.get("/channels/no-such-channel/").status_code == 404


def test_unknown_episode_is_404_with_a_way_home(client) -> None:
    response = client.get("/episodes/nosuchvideo/")

    assert response.status_code == 404
    assert "Not found" in page_text(response)
    assert '<a href="/">All episodes</a>' in response.content.decode()


def test_episode_page_renders_articles_sections_and_claims(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    assert response.status_code == 200
    text = page_text(response)
    assert "<title>John Schulman · Seeknotes</title>" in response.content.decode()
    assert "The Dwarkesh Podcast" in text
    [(_, player)] = elements(response, "data-player")
    assert player["data-video-id"] == "Wo95ob_s_NI"
    assert "data-start" not in player
    assert [attrs["data-article-slug"] for _, attrs in elements(response, "data-article-slug")] == [
        "challenges",
        "reasoning",
    ]
    sections = episode.articles.get(slug="challenges").sections.order_by("position")
    section_ids = [attrs["data-section-id"] for _, attrs in elements(response, "data-section-id")]
    assert section_ids[:3] == [str(section.pk) for section in sections]
    # h1 is the episode, h2 each article; sections nest below, the untitled one has no heading.
    headings = [(tag, attrs.get("id")) for tag, attrs in elements(response, "class")]
    assert ("h3", f"s{sections[1].pk}") in headings
    assert ("h4", f"s{sections[2].pk}") in headings
    assert "Understanding training" in text
    assert "Pre-training" in text
    [(_, follow)] = elements(response, "data-follow")
    assert follow["aria-pressed"] == "true"


def test_episode_page_gives_each_claim_an_anchor_permalink_and_timestamps(client) -> None:
    episode = seed_like_episode()
    objective = episode.articles.get(slug="challenges").claims.get(label="Objective")

    response = client.get(episode.get_absolute_url())

    claims = {
        attrs["data-claim-id"]: (tag, attrs) for tag, attrs in elements(response, "data-claim-id")
    }
    assert len(claims) == 4
    tag, attrs = claims[str(objective.pk)]
    assert (tag, attrs["id"], attrs["tabindex"]) == ("li", f"c{objective.pk}", "0")
    permalinks = [attrs["href"] for _, attrs in elements(response, "href")]
    assert f"#c{objective.pk}" in permalinks
    seconds = [attrs["data-seconds"] for tag, attrs in elements(response, "data-seconds")]
    assert seconds == ["69", "97", "103", "3723"]
    links = [attrs["href"] for tag, attrs in elements(response, "data-seconds")]
    assert links[0] == "https://www.youtube.com/watch?v=Wo95ob_s_NI&t=69s"
    assert "Objective" in page_text(response)


def test_episode_page_nests_child_claims_inside_their_parent(client) -> None:
    episode = seed_like_episode()
    body = client.get(episode.get_absolute_url()).content.decode()
    article = episode.articles.get(slug="challenges")
    parent = article.claims.get(label="Objective")
    child = article.claims.get(parent=parent)

    parent_start = body.index(f'id="c{parent.pk}"')
    child_start = body.index(f'id="c{child.pk}"')
    parent_end = body.index("</li>", child_start)
    assert parent_start < child_start < parent_end
    assert body.count('<ul class="claims"', parent_start, child_start) == 1


@pytest.mark.parametrize(
    ("offset", "seconds"),
    [("1h2m3s", 3723), ("3723", 3723), ("1:02:03", 3723), ("1m37s", 97), ("0", 0)],
)
def test_episode_page_t_parameter_puts_seconds_on_the_player(client, offset, seconds) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"t": offset})

    [(_, player)] = elements(response, "data-player")
    assert player["data-start"] == str(seconds)


@pytest.mark.parametrize("offset", ["soon", "1:99", "-5", ""])
def test_episode_page_ignores_an_unreadable_t(client, offset) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"t": offset})

    assert response.status_code == 200
    [(_, player)] = elements(response, "data-player")
    assert "data-start" not in player


def test_episode_page_loads_nothing_from_other_hosts(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    sources = [attrs["src"] for _, attrs in elements(response, "src")]
    sheets = [attrs["href"] for tag, attrs in elements(response, "href") if tag == "link"]
    assert sources
    assert all(url.startswith("/static/") for url in sources)
    assert all(url.startswith(("/static/", "data:")) for url in sheets)
    # Only the structured data names the thumbnail, for search engines; the page never loads it.
    before, _, structured = response.content.decode().partition('type="application/ld+json">')
    assert "ytimg.com" not in before + structured.partition("</script>")[2]


def test_base_page_has_skip_link_landmark_and_htmx_csrf_header(client) -> None:
    body = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert '<a class="site-name" href="/">Seeknotes</a>' in body


def episode_page_queries(client, claims: int, notes_per_claim: int = 0, reader=None) -> int:
    """Queries for one episode page; each claim gets notes by several people, some private."""
    episode = make_episode()
    articles = [
        make_long_article(episode, claims=claims),
        make_long_article(episode, claims=claims // 2 or 1),
    ]
    writers = [make_user() for _ in range(3)]
    notes = [
        Annotation(
            author=writers[i % 3],
            episode=episode,
            claim=claim,
            body=f"Note {i} on *{claim.text}*",
            visibility="public" if i % 2 else "private",
        )
        for claim in Claim.objects.filter(article__in=articles)
        for i in range(notes_per_claim)
    ]
    notes.append(
        Annotation(author=writers[0], episode=episode, seconds=3, body="loose", visibility="public")
    )
    Annotation.objects.bulk_create(notes)
    if reader is not None:
        client.force_login(reader)
    expected_notes = Annotation.objects.filter(episode=episode).visible_to(reader).count()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(episode.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-claim-id=") == claims + (claims // 2 or 1)
    assert body.count("data-annotation-id=") == expected_notes
    return len(queries)


def test_episode_page_query_count_does_not_grow_with_claims(client) -> None:
    small = episode_page_queries(client, claims=10)
    large = episode_page_queries(client, claims=1000)

    assert small == large == EPISODE_PAGE_QUERIES + WITHOUT_SESSION_QUERIES


def test_episode_page_query_count_does_not_grow_with_notes(client) -> None:
    few = episode_page_queries(client, claims=10, notes_per_claim=1)
    many = episode_page_queries(client, claims=300, notes_per_claim=6)

    assert few == many == EPISODE_PAGE_QUERIES + WITHOUT_SESSION_QUERIES


def test_episode_page_reads_no_content_once_its_pieces_are_kept(client) -> None:
    reader = make_user()
    episode_page_queries(client, claims=30, notes_per_claim=2, reader=reader)
    episode = Episode.objects.get()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(episode.get_absolute_url())

    assert response.content.decode().count("data-claim-id=") == 30 + 15
    assert len(queries) == EPISODE_PAGE_KEPT_QUERIES + SIGNED_IN_QUERIES


def test_episode_page_query_count_is_constant_for_a_signed_in_reader(client) -> None:
    reader = make_user()
    few = episode_page_queries(client, claims=10, notes_per_claim=1, reader=reader)
    many = episode_page_queries(client, claims=300, notes_per_claim=6, reader=reader)

    assert few == many == EPISODE_PAGE_QUERIES + SIGNED_IN_QUERIES


@pytest.mark.parametrize(("seconds", "shown"), [(0, "0:00"), (69, "1:09"), (3723, "1:02:03")])
def test_timecode_filter_formats_seconds(seconds, shown) -> None:
    rendered = Template("{% load episodes %}{{ value|timecode }}").render(
        Context({"value": seconds})
    )
    assert rendered == shown


@pytest.mark.parametrize("video_id", ["dQw4w9WgXcQ", "a-b_c", "odd id é?"])
def test_episode_paths_are_what_reversing_gives_under_any_script_prefix(video_id) -> None:
    from django.urls import reverse, set_script_prefix

    assert Episode.path_for(video_id) == reverse("episodes:episode", args=[video_id])
    set_script_prefix("/mounted/here/")
    try:
        mounted = Episode.path_for(video_id)
        assert mounted == reverse("episodes:episode", args=[video_id])
        assert mounted.startswith("/mounted/here/episodes/")
    finally:
        set_script_prefix("/")
    assert Episode.path_for("dQw4w9WgXcQ") == "/episodes/dQw4w9WgXcQ/"

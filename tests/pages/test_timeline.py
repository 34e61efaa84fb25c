from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import Truncator

from apps.annotations.models import Annotation
from apps.episodes.models import Episode
from apps.pages.timeline import LABEL_CHARS, percent, short_label
from tests.annotations.factories import make_user
from tests.episodes.factories import (
    make_article,
    make_claim,
    make_episode,
    make_long_article,
    make_section,
)
from tests.pages.test_views import (
    EPISODE_PAGE_QUERIES,
    SIGNED_IN_QUERIES,
    elements,
    seed_like_episode,
)

pytestmark = pytest.mark.django_db


def marks(response, kind: str) -> list[dict[str, str | None]]:
    """The timeline's marks of one kind ("claim", "span", "note"), in document order."""
    return [
        attrs
        for tag, attrs in elements(response, "class")
        if tag == "a" and f"tl-{kind}" in (attrs["class"] or "").split()
    ]


class _Tags(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.found.append(dict(attrs))


def positions(response, tag: str) -> list[str | None]:
    """The x attribute of every `tag` in the timeline's drawing, e.g. "1.725%"."""
    body = response.content.decode()
    start = body.index('<div class="timeline"')
    parser = _Tags(tag)
    parser.feed(body[start : body.index("</svg>\n", start)])
    return [attrs.get("x") for attrs in parser.found]


def test_timeline_places_each_claim_tick_at_its_first_timestamp(client) -> None:
    episode = seed_like_episode()
    Episode.objects.filter(pk=episode.pk).update(duration_seconds=4000)
    article = episode.articles.get(slug="challenges")
    objective = article.claims.get(label="Objective")
    child = article.claims.get(parent=objective)
    reasoning = episode.articles.get(slug="reasoning").claims.get()

    response = client.get(episode.get_absolute_url())

    [(_, root)] = elements(response, "data-timeline")
    assert root["data-duration"] == "4000"
    ticks = marks(response, "claim")
    # The untimed introduction has no tick; every timed claim has one.
    assert [(tick["data-claim"], tick["data-at"]) for tick in ticks] == [
        (str(objective.pk), "69"),
        (str(child.pk), "103"),
        (str(reasoning.pk), "3723"),
    ]
    assert positions(response, "use") == ["1.725%", "2.575%", "93.075%"]
    assert ticks[0]["href"] == f"?t=69#c{objective.pk}"
    assert ticks[0]["aria-label"] == "Claim at 1:09: Objective: To imitate"


def test_timeline_spans_run_from_a_sections_first_moment_to_the_next_sections(client) -> None:
    channel_episode = make_episode()
    article = make_article(channel_episode, title="Topical")
    intro = make_section(article, title="Intro")
    body = make_section(article, title="Body")
    detail = make_section(article, title="Detail", level=3, parent=body)
    make_claim(article, section=intro, seconds=[100])
    make_claim(article, section=body, seconds=[200, 300])
    make_claim(article, section=detail, seconds=[250])
    # A topical article comes back to its introduction later in the video.
    make_claim(article, section=intro, seconds=[400])
    Episode.objects.filter(pk=channel_episode.pk).update(duration_seconds=1000)

    response = client.get(channel_episode.get_absolute_url())

    spans = [s for s in marks(response, "span") if "tl-chapter" not in s["class"]]
    chapters = [s for s in marks(response, "span") if "tl-chapter" in s["class"]]
    assert [(s["data-section"], s["data-at"], s["data-until"]) for s in spans] == [
        (str(intro.pk), "100", "200"),
        (str(body.pk), "200", "250"),
        (str(detail.pk), "250", "300"),
        (str(body.pk), "300", "400"),
        (str(intro.pk), "400", "400"),
    ]
    # Nested sections: the top-level ones get a band of their own above.
    assert [(s["data-section"], s["data-at"], s["data-until"]) for s in chapters] == [
        (str(intro.pk), "100", "200"),
        (str(body.pk), "200", "400"),
        (str(intro.pk), "400", "400"),
    ]
    # The first <svg> is the drawing itself; each span is a nested one, chapters first.
    assert positions(response, "svg")[1:] == [
        *["10%", "20%", "40%"],
        *["10%", "20%", "25%", "30%", "40%"],
    ]
    assert spans[2]["aria-label"] == "Section from 4:10 to 5:00: Body \u203a Detail (Topical)"
    assert spans[2]["href"] == f"?t=250#s{detail.pk}"
    # Each section's colour stays the same wherever it comes back.
    assert spans[0]["class"] == spans[4]["class"] != spans[1]["class"]
    assert spans[1]["class"] == spans[3]["class"] == chapters[1]["class"].replace(" tl-chapter", "")
    # Every section with a timed claim in it has a mark; every timed claim a tick.
    assert {s["data-section"] for s in spans} == {str(intro.pk), str(body.pk), str(detail.pk)}
    assert len(marks(response, "claim")) == 4


def test_timeline_without_a_known_duration_ends_after_the_last_moment(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    [(_, root)] = elements(response, "data-timeline")
    # 3723 s is the last timestamp; 2 % of it (74 s) is more than the 30 s minimum.
    assert root["data-duration"] == str(3723 + 74)
    assert positions(response, "use")[0] == f"{percent(69, 3797)}%" == "1.817%"
    axis = [attrs for tag, attrs in elements(response, "data-share") if tag == "text"]
    assert [a["x"] for a in axis] == ["0%", "25%", "50%", "75%", "100%"]
    assert "1:03:17" in response.content.decode()


def test_timeline_has_one_lane_per_article(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    lanes = [attrs["data-lane"] for _, attrs in elements(response, "data-lane")]
    assert lanes == ["challenges", "reasoning"]


def test_timeline_marks_the_readers_notes_apart_from_other_peoples_public_ones(client) -> None:
    episode = seed_like_episode()
    reader, other = make_user(username="reader"), make_user(username="bob")
    claim = episode.articles.get(slug="challenges").claims.get(label="Objective")
    mine = Annotation.objects.create(
        author=reader, episode=episode, claim=claim, seconds=97, body="My *own* note"
    )
    theirs = Annotation.objects.create(
        author=other, episode=episode, seconds=3723, body="Shared", visibility="public"
    )
    Annotation.objects.create(author=other, episode=episode, seconds=500, body="Bob's secret")
    client.force_login(reader)

    response = client.get(episode.get_absolute_url())

    notes = marks(response, "note")
    assert [(n["data-note"], n["class"]) for n in notes] == [
        (str(mine.pk), "tl-mark tl-note tl-note--mine"),
        (str(theirs.pk), "tl-mark tl-note tl-note--public"),
    ]
    assert notes[0]["aria-label"] == "Your note at 1:37: My *own* note"
    assert notes[0]["href"] == f"?t=97#c{claim.pk}"
    assert notes[1]["aria-label"] == "Public note by bob at 1:02:03: Shared"
    assert notes[1]["href"] == f"?t=3723#n{theirs.pk}"
    assert "secret" not in response.content.decode()


def test_the_timeline_alone_is_drawn_for_the_reader_with_their_notes(client) -> None:
    episode = seed_like_episode()
    reader, other = make_user(username="reader"), make_user(username="bob")
    mine = Annotation.objects.create(author=reader, episode=episode, seconds=97, body="Mine")
    Annotation.objects.create(author=other, episode=episode, seconds=500, body="Bob's secret")
    url = f"/episodes/{episode.video_id}/timeline/"
    client.force_login(reader)

    alone = client.get(url)
    page = client.get(episode.get_absolute_url())
    client.logout()
    anonymous = client.get(url)

    assert alone.status_code == 200
    assert (
        alone.content.decode()
        .lstrip()
        .startswith('<div class="timeline" id="episode-timeline" data-timeline')
    )
    assert "<body" not in alone.content.decode()
    assert marks(alone, "claim") == marks(page, "claim")
    assert [n["data-note"] for n in marks(alone, "note")] == [str(mine.pk)]
    assert "private" in alone["Cache-Control"]
    assert marks(anonymous, "note") == []
    assert "secret" not in alone.content.decode() + anonymous.content.decode()
    assert client.get("/episodes/nosuchvideo/timeline/").status_code == 404


def test_no_timeline_when_nothing_is_timed(client) -> None:
    episode = make_episode()
    make_claim(make_article(episode), text="Undated")

    response = client.get(episode.get_absolute_url())

    assert elements(response, "data-timeline") == []


def test_contents_list_gives_each_article_its_claim_count_and_time_span(client) -> None:
    episode = seed_like_episode()
    make_article(episode, title="Empty", slug="empty")

    response = client.get(episode.get_absolute_url())

    body = response.content.decode()
    contents = body[body.index("data-contents") : body.index("</nav>", body.index("data-contents"))]
    entries = [a["data-contents-for"] for _, a in elements(response, "data-contents-for")]
    # Where an article without timestamps sorts depends on the database's NULL order.
    assert sorted(entries) == ["challenges", "empty", "reasoning"]
    assert "3 claims" in contents
    assert "1:09\N{EN DASH}1:43" in contents
    assert "1 claim\n" in contents
    assert "1:02:03\N{EN DASH}1:02:03" in contents
    assert "0 claims</span>" in contents


def test_contents_list_shows_for_a_single_article(client) -> None:
    episode = make_episode()
    make_claim(make_article(episode, slug="only"), seconds=[5])

    response = client.get(episode.get_absolute_url())

    assert [a["data-contents-for"] for _, a in elements(response, "data-contents-for")] == ["only"]


def timeline_page_queries(client, claims: int, reader) -> int:
    """Queries for an episode page whose long articles and many timed notes fill the timeline."""
    episode = make_episode()
    articles = [make_long_article(episode, claims=claims), make_long_article(episode, claims=5)]
    writers = [reader, make_user(), make_user()]
    Annotation.objects.bulk_create(
        Annotation(
            author=writers[i % 3],
            episode=episode,
            claim=claim,
            seconds=i * 7,
            body=f"Note {i}",
            visibility="public",
        )
        for i, claim in enumerate(articles[0].claims.all())
    )
    client.force_login(reader)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(episode.get_absolute_url())

    assert len(marks(response, "claim")) == claims + 5
    assert len(marks(response, "note")) == claims
    return len(queries)


def test_timeline_adds_no_query_per_claim_or_note(client) -> None:
    reader = make_user()
    small = timeline_page_queries(client, claims=10, reader=reader)
    large = timeline_page_queries(client, claims=400, reader=reader)

    assert small == large == EPISODE_PAGE_QUERIES + SIGNED_IN_QUERIES


@pytest.mark.parametrize(
    "text",
    ["", "short", "x" * 140, "x" * 141, "e\u0301" * 100, "e\u0301" * 150, "\u212b ring", "é" * 141],
)
def test_a_marks_label_is_cut_as_truncator_cuts_it(text) -> None:
    assert short_label(text) == Truncator(text).chars(LABEL_CHARS)

"""A link to a moment (`?t=`) opens the player's facade cued there, never past the end."""

from __future__ import annotations

import pytest

from tests.pages.test_views import elements, seed_like_episode


def facade_note(response) -> str:
    html = response.content.decode()
    start = html.index("data-player-note>") + len("data-player-note>")
    return html[start : html.index("</span>\n", start)]


@pytest.mark.django_db
def test_a_moment_shows_the_facade_cued_there(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"t": "1h2m3s"})

    [(_, player)] = elements(response, "data-player")
    assert player["data-start"] == "3723"
    assert facade_note(response).startswith("Play from 1:02:03 ")
    [(_, facade)] = elements(response, "data-player-facade")
    assert facade["href"] == "https://www.youtube.com/watch?v=Wo95ob_s_NI&t=3723s"


@pytest.mark.django_db
def test_without_a_moment_the_facade_plays_from_the_start(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    assert facade_note(response) == "Plays from YouTube"


@pytest.mark.django_db
@pytest.mark.parametrize("offset", ["27h46m39s", "100000", "1:00:00"])
def test_a_moment_at_or_past_a_known_end_is_ignored(client, offset) -> None:
    episode = seed_like_episode()
    episode.duration_seconds = 3600
    episode.save(update_fields=["duration_seconds"])

    response = client.get(episode.get_absolute_url(), {"t": offset})

    [(_, player)] = elements(response, "data-player")
    assert "data-start" not in player
    assert facade_note(response) == "Plays from YouTube"
    assert "From " not in facade_note(response)


@pytest.mark.django_db
def test_a_moment_before_a_known_end_is_kept(client) -> None:
    episode = seed_like_episode()
    episode.duration_seconds = 3600
    episode.save(update_fields=["duration_seconds"])

    response = client.get(episode.get_absolute_url(), {"t": "59:59"})

    [(_, player)] = elements(response, "data-player")
    assert player["data-start"] == "3599"
    assert facade_note(response).startswith("Play from 59:59 ")


@pytest.mark.django_db
def test_a_far_moment_is_kept_when_the_end_is_unknown(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"t": "100000"})

    [(_, player)] = elements(response, "data-player")
    assert player["data-start"] == "100000"

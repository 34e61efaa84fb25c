"""Clip links (`?t=&end=`): the page opens cued at the start with the range on the player."""

from __future__ import annotations

import pytest

from tests.annotations.factories import make_annotation, make_user
from tests.pages.test_deep_links import facade_note
from tests.pages.test_views import elements, seed_like_episode


def player_of(response) -> dict[str, str | None]:
    [(_, player)] = elements(response, "data-player")
    return player


@pytest.mark.django_db
def test_a_clip_link_puts_its_range_on_the_player(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"t": "754", "end": "13:10"})

    player = player_of(response)
    assert (player["data-start"], player["data-end"]) == ("754", "790")
    assert facade_note(response).startswith("Play 12:34\u201313:10 ")


@pytest.mark.django_db
def test_an_end_alone_clips_from_the_start(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url(), {"end": "90"})

    player = player_of(response)
    assert "data-start" not in player
    assert player["data-end"] == "90"
    assert facade_note(response).startswith("Play 0:00\u20131:30 ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "duration"), [("754", None), ("700", None), ("x", None), ("", None), ("3601", 3600)]
)
def test_an_end_at_or_before_the_start_or_past_a_known_end_is_ignored(
    client, end, duration
) -> None:
    episode = seed_like_episode()
    episode.duration_seconds = duration
    episode.save(update_fields=["duration_seconds"])

    response = client.get(episode.get_absolute_url(), {"t": "754", "end": end})

    player = player_of(response)
    assert player["data-start"] == "754"
    assert "data-end" not in player
    assert facade_note(response).startswith("Play from 12:34 ")


@pytest.mark.django_db
def test_a_clip_may_end_on_the_last_second_of_a_known_length(client) -> None:
    episode = seed_like_episode()
    episode.duration_seconds = 3600
    episode.save(update_fields=["duration_seconds"])

    response = client.get(episode.get_absolute_url(), {"t": "3500", "end": "3600"})

    assert player_of(response)["data-end"] == "3600"


@pytest.mark.django_db
def test_anonymous_clip_pages_are_kept_apart_from_the_plain_moment(client) -> None:
    episode = seed_like_episode()
    url = episode.get_absolute_url()

    client.get(url, {"t": "754"})
    clipped = client.get(url, {"t": "754", "end": "790"})
    plain = client.get(url, {"t": "754"})

    assert player_of(clipped)["data-end"] == "790"
    assert "data-end" not in player_of(plain)


@pytest.mark.django_db
def test_each_timed_claim_has_a_clip_button_shown_only_with_javascript(client) -> None:
    episode = seed_like_episode()

    response = client.get(episode.get_absolute_url())

    buttons = elements(response, "data-clip-claim")
    assert len(buttons) == 3  # the intro paragraph has no timestamp, so no clip
    assert all("hidden" in attrs and "data-needs-js" in attrs for _, attrs in buttons)


@pytest.mark.django_db
def test_the_timeline_draws_a_note_on_a_range_as_a_span(client) -> None:
    episode = seed_like_episode()
    episode.duration_seconds = 4000
    episode.save(update_fields=["duration_seconds"])
    author = make_user("ada")
    note = make_annotation(author, episode=episode, seconds=1000, body="The scaling part")
    note.end_seconds = 2000
    note.save(update_fields=["end_seconds"])
    client.force_login(author)

    response = client.get(episode.get_absolute_url())

    [(_, mark)] = elements(response, "data-note")
    assert (mark["data-at"], mark["data-until"]) == ("1000", "2000")
    assert mark["aria-label"] == "Your note from 16:40 to 33:20: The scaling part"
    [(_, span)] = [
        (tag, attrs)
        for tag, attrs in elements(response, "class")
        if attrs["class"] == "tl-note-range"
    ]
    assert (span["x"], span["width"]) == ("25%", "25%")


@pytest.mark.django_db
def test_a_note_on_a_range_links_to_its_clip(client) -> None:
    episode = seed_like_episode()
    author = make_user("ada")
    note = make_annotation(author, episode=episode, seconds=754, body="The clip")
    note.end_seconds = 790
    note.save(update_fields=["end_seconds"])
    client.force_login(author)

    response = client.get(episode.get_absolute_url())

    [(tag, clip)] = elements(response, "data-clip")
    assert tag == "a"
    assert clip["href"] == f"{episode.get_absolute_url()}?t=754&end=790#{note.anchor}"

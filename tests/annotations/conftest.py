from __future__ import annotations

from dataclasses import dataclass

import pytest

from apps.episodes.models import Article, Claim, Episode
from tests.episodes.factories import make_article, make_claim, make_episode, make_section


@dataclass
class Talk:
    episode: Episode
    article: Article
    opening: Claim  # timestamps 60 and 90
    middle: Claim  # timestamp 120
    untimed: Claim  # no timestamp


@pytest.fixture
def talk(db) -> Talk:
    """An episode with one article: two timed claims and one without a time."""
    episode = make_episode(video_id="talk0000001", title="A talk")
    article = make_article(episode, title="What was said", slug="what-was-said")
    section = make_section(article, title="Part one", level=2)
    return Talk(
        episode=episode,
        article=article,
        opening=make_claim(article, section=section, text="The opening claim", seconds=[60, 90]),
        middle=make_claim(article, section=section, text="The middle claim", seconds=[120]),
        untimed=make_claim(article, section=section, text="A claim with no time"),
    )

"""Two small episodes in several scripts, imported by the real importer, and two readers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from apps.episodes.models import Claim, Episode
from apps.ingest.importer import import_paths
from tests.annotations.factories import make_user


def timestamp(data_t: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{data_t}]</a>'


TOKENIZERS = f"""---
title: Tokenizers explained
videoId: searchvid01
---

From: [[testchannel | Test Channel]]

## Basics
- **Definition**: A tokenizer splits text into tokens {timestamp("00:01:09")}.
- Reinforcement learning from human feedback (RLHF) rewards bullet points {timestamp("00:02:00")}.
- The café in Zürich serves crème brûlée to Schrödinger {timestamp("75")}.
- 麒麟和風神是神话中的动物 {timestamp("00:03:00")}.
- Москва — столица России, и ёлка стоит зимой {timestamp("00:04:00")}.
- हिन्दी भाषा भारत में बोली जाती है {timestamp("00:05:00")}.
- Compare with x < y && y > z when counting tokens.
"""

BULLETS = f"""---
title: Bullet points in chat models
videoId: searchvid02
---

From: [[testchannel | Test Channel]]

## Style
- Chat models write bullet points too often {timestamp("00:00:10")}.
- Answers sound formal and dull {timestamp("00:00:20")}.
"""


@dataclass
class Library:
    tokenizers: Episode
    bullets: Episode
    folder: Path

    def claim(self, words: str) -> Claim:
        return Claim.objects.get(text__contains=words)


@pytest.fixture
def library(db, tmp_path) -> Library:
    (tmp_path / "tokenizers.md").write_text(TOKENIZERS, encoding="utf-8")
    (tmp_path / "bullets.md").write_text(BULLETS, encoding="utf-8")
    report = import_paths([tmp_path])
    assert report.failed == 0, report.errors
    return Library(
        tokenizers=Episode.objects.get(video_id="searchvid01"),
        bullets=Episode.objects.get(video_id="searchvid02"),
        folder=tmp_path,
    )


@pytest.fixture
def ada(db) -> User:
    return make_user("ada")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob")

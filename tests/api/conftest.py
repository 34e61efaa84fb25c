"""The API tests read the real seed, imported by the real importer."""

from __future__ import annotations

import pytest
from django.conf import settings

from apps.episodes.importer import import_paths
from apps.episodes.models import Episode

SEED_VIDEO_ID = "Wo95ob_s_NI"


@pytest.fixture
def seed_episode(db) -> Episode:
    import_paths([settings.SEEDS_DIR])
    return Episode.objects.get(video_id=SEED_VIDEO_ID)

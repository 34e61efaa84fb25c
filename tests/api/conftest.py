"""The API tests read the real seed, imported by the real importer."""

from __future__ import annotations

import sys

import pytest
from django.conf import settings

from apps.episodes.models import Episode
from apps.ingest.importer import import_paths

SEED_VIDEO_ID = "Wo95ob_s_NI"


@pytest.fixture
def seed_episode(db) -> Episode:
    import_paths([settings.SEEDS_DIR])
    return Episode.objects.get(video_id=SEED_VIDEO_ID)


def pytest_terminal_summary(terminalreporter) -> None:
    """Schemathesis' totals, when its test ran: how many cases each operation got."""
    module = sys.modules.get("tests.api.test_schemathesis")
    if module is None or not module.cases:
        return
    terminalreporter.section("schemathesis")
    for operation, count in sorted(module.cases.items()):
        terminalreporter.write_line(f"{operation}: {count} cases")
    terminalreporter.write_line(
        f"total: {sum(module.cases.values())} cases over {len(module.cases)} operations"
    )

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus_dir() -> Path:
    """The real documents beside the project; tests that need them skip where it is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus folder {CORPUS_DIR} is absent")
    return CORPUS_DIR


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests share a process: a page cached by one test must not be served to the next, nor
    held by the process (apps/pages/kept.py) for a test that looks at what is held."""
    from django.core.cache import caches

    from apps.pages import kept

    for each in caches.all():
        each.clear()
    kept._recent.clear()
    yield
    for each in caches.all():
        each.clear()
    kept._recent.clear()


class RateClock:
    """The rate limits' clock, held at a whole second and moved on only by the test."""

    def __init__(self) -> None:
        import time

        self.now = float(int(time.time()))

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def rate_clock(monkeypatch) -> RateClock:
    """Stops django-ratelimit's clock, so that no window ends while a test fills it."""
    clock = RateClock()
    monkeypatch.setattr("django_ratelimit.core.time", clock)
    return clock

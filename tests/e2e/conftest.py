"""Browser tests: Playwright (sync API) driving the system's Chromium against live_server.

YouTube is never contacted: https://www.youtube.com/iframe_api is answered with
fake_youtube.js, and every other request that would leave this machine is aborted and kept
in `offsite_requests`, so a test can prove the page stays local.

The pages run under their Content-Security-Policy, which refuses eval: give
`page.wait_for_function` a function ("() => ..."), which Playwright compiles once, not an
expression, which it evaluates again with eval on every poll and the page then refuses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM
# calls there unless told this is safe (it is: the loop never runs Django code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
# Serve on the address the "nothing leaves 127.0.0.1" tests check against.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = Path("/usr/bin/chromium")
IFRAME_API = "https://www.youtube.com/iframe_api"
FAKE_YOUTUBE = (Path(__file__).with_name("fake_youtube.js")).read_text(encoding="utf-8")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SEED_VIDEO_ID = "Wo95ob_s_NI"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@dataclass
class Traffic:
    """What the page asked for: every URL, and those that would have left this machine."""

    requested: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        return [url for url in self.requested if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


@pytest.fixture
def traffic(page) -> Traffic:
    """Routes the page's requests: local ones pass, the IFrame API gets the stand-in."""
    seen = Traffic()
    page.on("request", lambda request: seen.requested.append(request.url))

    def route(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        elif url == IFRAME_API:
            route.fulfill(status=200, content_type="text/javascript", body=FAKE_YOUTUBE)
        else:
            seen.offsite.append(url)
            route.abort()

    page.route("**/*", route)
    return seen


@pytest.fixture
def seed_episode(transactional_db, settings):
    """The seed's episode, imported from seeds/ through the real importer."""
    from apps.episodes.models import Episode
    from apps.ingest.importer import import_paths

    import_paths([settings.SEEDS_DIR])
    return Episode.objects.get(video_id=SEED_VIDEO_ID)


@pytest.fixture
def episode_page(page, live_server, seed_episode, traffic):
    """Opens the seed episode's page (optionally with a query) and returns the Page."""

    def open_page(query: str = ""):
        page.goto(f"{live_server.url}{seed_episode.get_absolute_url()}{query}")
        page.wait_for_function("() => window.Seeknotes !== undefined")
        return page

    return open_page


def yt_calls(page, name: str) -> list[list]:
    """The stand-in player's recorded calls named `name`, each as [name, *arguments]."""
    return page.evaluate("(name) => (window.__ytCalls || []).filter((c) => c[0] === name)", name)

"""Makes docs/screenshot.png, the README's picture: the seed's episode at 1280 x 800, playing
in the YouTube stand-in at 1:37, a reader's note open under the claim being spoken and the
note at this moment being written.

Not a test (its name keeps pytest from collecting it); run it by naming it:

    DJANGO_ALLOW_ASYNC_UNSAFE=1 .venv/bin/pytest tests/e2e/readme_screenshot.py

It uses the browser tests' fixtures: the seed imported through the importer, the live server,
Chromium and the stand-in player (tests/e2e/fake_youtube.js), so nothing is fetched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.episodes.models import Claim
from tests.annotations.factories import make_annotation, make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
MOMENT = 97  # 1:37, inside the seed's "Objective" claim of Pre-training
NOTE = (
    "Next-token prediction *is* the whole pre-training objective; compare the "
    "[RLHF section](#rlhf) for what changes after it."
)
# The stand-in draws a bare black box; dress it as a video frame for the picture.
DRESS_THE_STAND_IN = """() => {
  const stage = document.querySelector("[data-fake-youtube]");
  stage.textContent = "";
  stage.style.background =
    "radial-gradient(circle at 70% 35%, #3b4a6b 0, #1c2233 45%, #0d0f14 100%)";
}"""


def test_readme_screenshot(page, live_server, seed_episode, traffic) -> None:
    ada = make_user("ada")
    claim = next(
        claim
        for claim in Claim.objects.filter(article__episode=seed_episode).prefetch_related(
            "timestamps"
        )
        if MOMENT in [timestamp.seconds for timestamp in claim.timestamps.all()]
    )
    make_annotation(ada, claim=claim, seconds=MOMENT, body=NOTE)
    make_annotation(
        make_user("grace"),
        claim=claim,
        seconds=MOMENT + 6,
        body="The base model is a good calibration baseline.",
        visibility=Annotation.Visibility.PUBLIC,
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="light", reduced_motion="reduce")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")

    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'playVideo')")
    page.evaluate("window.__ytSetDuration(5820)")
    page.evaluate(f"window.__ytSetTime({MOMENT})")
    expect(page.locator(f"[data-claim-id='{claim.pk}']")).to_have_attribute("aria-current", "true")
    page.evaluate(DRESS_THE_STAND_IN)

    page.keyboard.press("n")
    page.locator("[data-note-now] textarea").fill("Ask: does the model learn anything ")
    page.locator("[data-note-now] textarea").blur()
    page.wait_for_timeout(300)  # the notes scroll to the claim being spoken
    page.screenshot(path=str(SCREENSHOT))

    assert SCREENSHOT.stat().st_size > 10_000

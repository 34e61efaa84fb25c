"""Chromium's own WebVTT parser reads the chapters file as a <track kind="chapters">."""

from __future__ import annotations

import pytest

from apps.episodes.models import Episode
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

pytestmark = pytest.mark.e2e

READ_TRACK = """
async (src) => {
  const video = document.createElement("video");
  const track = document.createElement("track");
  track.kind = "chapters";
  track.default = true;
  track.src = src;
  video.append(track);
  document.body.append(video);
  track.track.mode = "hidden";
  await new Promise((resolve, reject) => {
    if (track.readyState === 2) resolve();
    track.addEventListener("load", resolve);
    track.addEventListener("error", () => reject(new Error("the track did not load")));
  });
  return {
    kind: track.track.kind,
    cues: Array.from(track.track.cues, (cue) => ({
      id: cue.id, start: cue.startTime, end: cue.endTime, shown: cue.getCueAsHTML().textContent,
    })),
  };
}
"""


@pytest.fixture
def chaptered_episode(transactional_db) -> Episode:
    episode = make_episode(video_id="browsertrak", title="Read by Chromium")
    article = make_article(episode, title="Article")
    for title, second in (("Opening & <welcome>", 7), ("Long middle --> part", 95), ("End", 3725)):
        section = make_section(article, title=title)
        make_claim(article, section=section, text=f"In {title}", seconds=[second])
    return episode


def test_chromium_reads_one_chapter_cue_per_section(
    page, live_server, traffic, chaptered_episode
) -> None:
    page.goto(f"{live_server.url}/")

    track = page.evaluate(READ_TRACK, f"{live_server.url}/episodes/browsertrak/chapters.vtt")

    assert track["kind"] == "chapters"
    assert [(cue["start"], cue["end"], cue["shown"]) for cue in track["cues"]] == [
        (7, 95, "Opening & <welcome>"),
        (95, 3725, "Long middle --> part"),
        (3725, 3785, "End"),
    ]
    assert all(cue["id"].startswith("s") for cue in track["cues"])
    assert traffic.offsite == []

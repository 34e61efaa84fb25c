"""Browser tests for correcting a timestamp: proposed with "Set to now" from the player, then
applied and reverted, with the page and /api/claims?at= following; and the player's length
sent to the server once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.episodes.durations import reporter_keys
from apps.episodes.models import Claim, DurationReport, Episode, Timestamp, TimestampCorrection
from apps.reader.timecode import format_timecode
from tests.annotations.factories import make_user

from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


def claim_ids_at(page, live_server, seconds: int) -> list[int]:
    answer = page.request.get(
        f"{live_server.url}/api/claims?episode={Episode.objects.get().video_id}&at={seconds}"
        "&limit=500"
    )
    return [claim["id"] for claim in answer.json()["items"]]


def start_player(page) -> None:
    page.locator("[data-player-facade]").click()
    page.wait_for_function("() => (window.__ytCalls || []).some((c) => c[0] === 'Player')")


def test_propose_with_set_to_now_then_apply_and_revert(
    page, live_server, seed_episode, traffic
) -> None:
    editor = make_user("editor")
    editor.is_staff = True
    editor.save()
    stamp = Timestamp.objects.filter(episode=seed_episode).order_by("seconds", "id").first()
    claim = Claim.objects.get(pk=stamp.claim_id)
    original = stamp.seconds
    # Past every other timestamp: only this claim is spoken there once it is corrected.
    target = Timestamp.objects.order_by("-seconds").first().seconds + 50
    episode_path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "editor", episode_path)
    page.wait_for_function("() => window.Seeknotes !== undefined")
    assert claim.pk not in claim_ids_at(page, live_server, target)

    start_player(page)
    page.evaluate(f"() => window.__ytSetTime({target})")
    claim_item = page.locator(f'[data-claim-id="{claim.pk}"]')
    claim_item.locator(".claim-fix-link").first.click()
    form = claim_item.locator("[data-fix-form]")
    expect(form).to_be_visible()
    form.locator("[data-fix-now]").click()
    expect(form.locator("[data-fix-at]")).to_have_value(format_timecode(target))
    form.locator("input[name=reason]").fill("said later")
    form.get_by_role("button", name="Propose").click()
    page.wait_for_url(f"**{episode_path}#c{claim.pk}")
    expect(page.locator(".messages")).to_contain_text(f"Proposed {format_timecode(target)}")
    correction = TimestampCorrection.objects.get()
    assert (correction.status, correction.seconds_to, correction.reason) == (
        "proposed",
        target,
        "said later",
    )
    assert claim.pk not in claim_ids_at(page, live_server, target)

    page.goto(f"{live_server.url}/claims/{claim.pk}/timestamps/")
    page.locator("[data-correction-apply]").click()
    expect(page.locator(".messages")).to_contain_text("Applied")
    page.goto(f"{live_server.url}{episode_path}")
    corrected = claim_item.locator("a.ts--corrected")
    expect(corrected).to_have_attribute("data-seconds", str(target))
    history = claim_item.locator("details.claim-corrections")
    expect(history.locator("ol")).to_be_hidden()
    history.locator("summary").click()
    expect(history.locator("li")).to_contain_text("Applied by editor")
    expect(history.locator("li")).to_contain_text("said later")
    assert claim.pk in claim_ids_at(page, live_server, target)

    page.goto(f"{live_server.url}/claims/{claim.pk}/timestamps/")
    page.locator("[data-correction-revert]").click()
    expect(page.locator(".messages")).to_contain_text("Reverted")
    page.goto(f"{live_server.url}{episode_path}")
    expect(claim_item.locator("a.ts--corrected")).to_have_count(0)
    expect(claim_item.locator(f'a.ts[data-seconds="{original}"]').first).to_be_visible()
    assert claim.pk not in claim_ids_at(page, live_server, target)
    assert traffic.offsite == []


def test_the_player_reports_the_length_once(episode_page, seed_episode) -> None:
    # A length is believed once two independent players agree: another reader's came first.
    reporter, address = reporter_keys(user_id=None, address="198.51.100.7")
    DurationReport.objects.create(
        episode=seed_episode, reporter=reporter, address=address, seconds=3001
    )
    page = episode_page()
    start_player(page)

    with page.expect_response("**/duration") as reported:
        page.evaluate("() => window.__ytSetDuration(3000)")
        page.evaluate("() => window.Seeknotes.player.yt.pauseVideo()")

    assert reported.value.status == 200
    assert reported.value.json()["changed"] is True
    assert reported.value.json()["duration_seconds"] in (3000, 3001)
    assert Episode.objects.get(pk=seed_episode.pk).duration_seconds in (3000, 3001)
    page.evaluate("() => window.Seeknotes.player.yt.playVideo()")
    page.wait_for_timeout(300)
    posts = page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter((e) => e.name.endsWith('/duration')).length"
    )
    assert posts == 1

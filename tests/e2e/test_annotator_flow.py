"""The annotator's round trip (issue 18), in the browser against the YouTube stand-in: mark with
`m` while it plays at 12:34, write the bookmark up, set its end to now at 13:10 to make it a
range, copy its clip link and open that in a fresh page (facade, then play: seekTo(754) and a
pause at 790); then tag it, have a second account reply, export, delete, import, compare."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from tests.annotations.factories import make_user

from .conftest import FAKE_YOUTUBE, IFRAME_API, is_local, yt_calls
from .test_annotations import sign_in

pytestmark = pytest.mark.e2e


def fresh_page(browser):
    """A page of its own (no cookies, nothing shared), with the stand-in for the IFrame API."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def route(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        elif url == IFRAME_API:
            route.fulfill(status=200, content_type="text/javascript", body=FAKE_YOUTUBE)
        else:
            route.abort()

    page.route("**/*", route)
    return context, page, requested


def wait_for_call(page, name: str) -> None:
    page.wait_for_function("(n) => (window.__ytCalls || []).some((c) => c[0] === n)", arg=name)


def mark_and_write_up(page) -> Annotation:
    """`m` at 12:34, then Edit: words, and the end set to now at 13:10."""
    page.locator("[data-player-facade]").click()
    wait_for_call(page, "playVideo")
    page.evaluate("window.__ytSetTime(754)")
    page.keyboard.press("m")
    expect(page.locator("[data-mark-status]")).to_have_text("Marked at 12:34")
    bookmark = Annotation.objects.get()
    note = page.locator(f"[data-annotation-id='{bookmark.pk}']")
    expect(note).to_contain_text("Marked at 12:34")

    note.get_by_role("link", name="Edit").click()
    form = page.locator(f"[data-annotation-id='{bookmark.pk}'] form[data-annotation-form]")
    form.locator("textarea").fill("Why the loss keeps falling")
    page.evaluate("window.__ytSetTime(790)")
    form.get_by_role("button", name="Set the end to now").click()
    form.get_by_role("button", name="Save").click()
    expect(note.locator(".note-time")).to_have_text("12:34\u201313:10")
    expect(page.locator(f".tl-note[data-note='{bookmark.pk}']")).to_have_attribute(
        "data-until", "790"
    )
    bookmark.refresh_from_db()
    return bookmark


def test_a_moment_marked_written_up_made_a_range_and_shared_as_a_clip(
    page, browser, live_server, seed_episode, traffic
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    make_user("ada")
    sign_in(page, live_server, "ada", seed_episode.get_absolute_url())
    page.wait_for_function("() => window.Seeknotes !== undefined")

    note = mark_and_write_up(page)
    assert (note.seconds, note.end_seconds, note.body) == (754, 790, "Why the loss keeps falling")

    page.locator(f"[data-annotation-id='{note.pk}'] a[data-clip]").click()
    expect(page.locator(f"[data-annotation-id='{note.pk}'] [data-clip-copied]")).to_have_text(
        "Clip link copied"
    )
    clip = page.evaluate("navigator.clipboard.readText()")
    assert clip == (
        f"{live_server.url}{seed_episode.get_absolute_url()}?t=754&end=790#c{note.claim_id}"
    )

    context, fresh, requested = fresh_page(browser)
    try:
        fresh.goto(clip)
        fresh.wait_for_function("() => window.Seeknotes !== undefined")
        fresh.wait_for_load_state("networkidle")
        expect(fresh.locator("[data-player-note]")).to_contain_text("Play 12:34\u201313:10")
        assert [url for url in requested if not is_local(url)] == []

        fresh.locator("[data-player-facade]").click()
        wait_for_call(fresh, "playVideo")
        assert [call[1] for call in yt_calls(fresh, "seekTo")] == [754]
        fresh.evaluate("window.__ytSetTime(790)")
        wait_for_call(fresh, "pauseVideo")
        assert [call[1] for call in yt_calls(fresh, "seekTo")] == [754]
    finally:
        context.close()


def fields_of(note: Annotation) -> dict:
    return {
        "body": note.body,
        "seconds": note.seconds,
        "end_seconds": note.end_seconds,
        "tags": sorted(note.tag_names),
        "visibility": note.visibility,
        "created": note.created,
        "updated": note.updated,
        "claim_id": note.claim_id,
    }


def test_a_range_tagged_replied_to_exported_deleted_and_imported_comes_back_whole(
    page, browser, live_server, seed_episode, traffic, tmp_path
) -> None:
    make_user("ada")
    make_user("bob")
    episode_path = seed_episode.get_absolute_url()
    sign_in(page, live_server, "ada", episode_path)
    page.wait_for_function("() => window.Seeknotes !== undefined")
    note = mark_and_write_up(page)
    row = page.locator(f"[data-annotation-id='{note.pk}']")

    # Tag it (a tags field and a #word) and share it.
    row.get_by_role("link", name="Edit").click()
    form = page.locator(f"[data-annotation-id='{note.pk}'] form[data-annotation-form]")
    form.locator("textarea").fill("Why the loss keeps falling #scaling")
    form.get_by_label("Tags").fill("to-read")
    form.get_by_label("Everyone").check()
    form.get_by_role("button", name="Save").click()
    expect(row.locator(".tags .tag")).to_have_text(["#to-read", "#scaling"])
    expect(row.locator("[data-visibility]")).to_have_text("Public")

    # Bob replies for everyone to read, from a page of his own.
    context, other, _ = fresh_page(browser)
    try:
        sign_in(other, live_server, "bob", f"/notes/{note.pk}/")
        other.locator("[data-reply-form] textarea").fill("Does it keep falling past 13:10?")
        other.locator("[data-reply-form]").get_by_label("Everyone").check()
        other.locator("[data-reply-form]").get_by_role("button", name="Reply").click()
        expect(other.locator("[data-replies-for] [data-annotation-id]")).to_contain_text(
            "Does it keep falling past 13:10?"
        )
    finally:
        context.close()
    page.reload()
    expect(page.locator(f"[data-annotation-id='{note.pk}'] [data-note-replies]")).to_have_text(
        "1 reply"
    )

    note.refresh_from_db()
    before = fields_of(note)
    export = page.request.get(f"{live_server.url}/notes/export.jsonld")
    assert export.ok
    exported = tmp_path / "notes.jsonld"
    exported.write_bytes(export.body())
    assert len(json.loads(export.text())["first"]["items"]) == 1

    # Delete everything of hers, then bring it back.
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Delete").click()
    expect(page.locator(f"[data-annotation-id='{note.pk}']")).to_have_count(0)
    assert not Annotation.objects.visible_to(note.author).filter(author=note.author).exists()

    page.goto(f"{live_server.url}/notes/import/")
    page.locator("input[type=file]").set_input_files(exported)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("[data-import-report]")).to_contain_text("1")

    [restored] = Annotation.objects.visible_to(note.author).filter(author=note.author)
    assert fields_of(restored) == before

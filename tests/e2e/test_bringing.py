"""Browser tests for bringing content: an episode added by its address and annotated at
once, and a channel's folder uploaded as a zip, its progress bar followed to the report."""

from __future__ import annotations

import threading
import time
import zipfile

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.episodes.models import Article, Episode
from apps.ingest import web_imports
from apps.ingest.models import WebImport
from tests.annotations.factories import make_user

from .test_annotations import sign_in, start_player_at

pytestmark = pytest.mark.e2e

VIDEO = "dQw4w9WgXcQ"

# Every state the import's section shows, as the page's own DOM sees it replaced by htmx.
RECORD_STATES_JS = """
() => {
  window.__importStates = [];
  const record = () => {
    const section = document.querySelector("[data-import-state]");
    const bar = document.querySelector("[data-import-progress]");
    if (section) window.__importStates.push(
      [section.dataset.importState, bar ? Number(bar.value) : null, bar ? Number(bar.max) : null]);
  };
  record();
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true});
}
"""


def test_add_an_episode_by_its_address_and_annotate_it(
    page, live_server, transactional_db, traffic
):
    person = make_user()
    sign_in(page, live_server, person.username, "/episodes/new/")
    page.get_by_label("YouTube address or video id").fill("https://vimeo.com/76979871")
    page.get_by_role("button", name="Add the episode").click()
    expect(page.locator(".errorlist")).to_contain_text("This is not a YouTube address (vimeo.com).")

    page.get_by_label("YouTube address or video id").fill(f"https://youtu.be/{VIDEO}?si=x&t=42")
    page.get_by_label("Title (optional)").fill("Never Gonna Give You Up")
    page.get_by_role("button", name="Add the episode").click()
    page.wait_for_url(f"{live_server.url}/episodes/{VIDEO}/")
    page.wait_for_function("() => window.Seeknotes !== undefined")
    expect(page.locator("h1")).to_contain_text("Never Gonna Give You Up")

    # No document describes it, yet the player plays and a note goes at a moment.
    start_player_at(page, 65)
    page.locator("[data-note-now] summary").click()
    now_form = page.locator("[data-note-now-form]")
    now_form.get_by_label("At").fill("1:05")
    now_form.locator("textarea").fill("The chorus comes back here.")
    now_form.get_by_role("button", name="Save note").click()
    expect(page.locator("[data-annotation-id] .note-body")).to_have_text(
        "The chorus comes back here."
    )
    note = Annotation.objects.get()
    assert (note.episode.video_id, note.seconds, note.claim, note.author) == (
        VIDEO,
        65,
        None,
        person,
    )
    page.reload()
    expect(page.locator("[data-annotation-id] .note-body")).to_have_text(
        "The chorus comes back here."
    )
    assert Episode.objects.get().title == "Never Gonna Give You Up"
    assert traffic.offsite == []


def run_one_task() -> None:
    """django-tasks' own database worker, in a thread of this process (so it sees the test
    database), taking the one queued task and stopping."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        Worker(
            queue_names=["default"],
            interval=0.1,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


@pytest.mark.corpus
def test_upload_a_channel_zip_and_watch_the_progress_bar_reach_the_report(
    page, live_server, transactional_db, corpus_dir, tmp_path, monkeypatch
):
    if settings.REDIS_URL:
        pytest.skip(
            "the browser drives the embedded queue; the Redis one is tested in tests/ingest"
        )
    folder = corpus_dir / "current" / "veritasium"
    archive = tmp_path / "veritasium.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zipped.write(path, path.relative_to(folder.parent).as_posix())
    # Each commit's progress a little slower than this machine writes it, so that the page's
    # one-second polls see the bar move.
    write = web_imports.ProgressWriter.write

    def slower(self) -> None:
        write(self)
        time.sleep(0.4)

    monkeypatch.setattr(web_imports.ProgressWriter, "write", slower)
    staff = make_user()
    staff.is_staff = True
    staff.save()
    sign_in(page, live_server, staff.username, "/imports/")
    page.get_by_label("Files").set_input_files(str(archive))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(f"{live_server.url}/imports/*/")
    expect(page.locator("[data-import-status]")).to_have_text("Waiting for a worker")
    page.evaluate(RECORD_STATES_JS)

    worker = threading.Thread(target=run_one_task, daemon=True)
    worker.start()
    expect(page.locator("[data-import-state='done']")).to_be_visible(timeout=120_000)
    worker.join(timeout=30)

    web_import = WebImport.objects.get()
    total = web_import.files_total
    assert total == len(
        [p for p in folder.rglob("*") if p.suffix in {".md", ".txt"} and p.stem.lower() != "readme"]
    )
    expect(page.locator("[data-import-summary]")).to_have_text(web_import.summary)
    articles = Article.objects.filter(source_path__startswith="veritasium/").count()
    assert web_import.summary.startswith(f"imported {articles} articles ({articles} episodes")
    assert web_import.summary.endswith("; 0 failed")
    expect(page.locator("[data-import-progress]")).to_have_attribute("value", str(total))
    expect(page.locator("[data-import-counts]")).to_contain_text(f"{total} of {total} files")
    lines = page.locator("[data-import-report] li")
    expect(lines).to_have_count(len(web_import.report_lines))
    assert all(line.startswith("veritasium/") for line in web_import.report_lines)
    states = page.evaluate("window.__importStates")
    running = [value for state, value, _ in states if state == "running" and value is not None]
    assert running and 0 < min(running) < total, states
    assert running == sorted(running), states
    assert articles >= total - 1  # all but the channel's index page

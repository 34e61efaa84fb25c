"""The episode page for the people who annotate, over HTTP, beside a static file.

    .venv/bin/python -m tests.bench --only episode-page     (these rows alone, ~2 minutes)

The busy episode is the one of ../shared/corpus with the most articles (ties: the most
claims); notes are written on it through the service layer: `PUBLIC_NOTES` public by one
person and `PRIVATE_NOTES` private by another, spread evenly over its claims. The synthetic
1,000-claim episode gets `LONG_NOTES` public notes. Each figure is the median of `RUNS`
sequential requests to gunicorn (one worker, production settings), as a ratio to the median
of a static CSS file from the same server; then wrk (2 workers, 10 connections) on the
signed-in busy page beside the static file; then cold starts: the first request after the
server starts and the first after an import that changed the episode.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from .corpus import LONG_EPISODE_ID, SHARED_CORPUS, long_episode_documents, source_files
from .over_http import gunicorn, static_url, wrk
from .processes import PYTHON, ROOT, manage
from .report import RESULTS_DIR, Results

GROUP = "episode page over HTTP"
RUNS = 40
PUBLIC_NOTES, PRIVATE_NOTES, LONG_NOTES = 100, 20, 500
READER_TARGET_RATIO, LONG_TARGET_RATIO, WRITE_TARGET_RATIO = 10, 20, 10
WRK_TARGET_SHARE = 0.25
_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


def measure_episode_page(
    env: dict[str, str], scratch: Path, results: Results, seconds: int
) -> None:
    """Fill a fresh SQLite database with the corpus and the notes, then measure over HTTP."""
    env = {
        **env,
        "DATABASE_URL": f"sqlite:///{scratch / 'episode-page.sqlite3'}",
        "DJANGO_RATE_LIMITS": "note_write.user=off, note_write.address=off",
    }
    corpus = scratch / "episode-page-corpus"
    shutil.copytree(SHARED_CORPUS, corpus, ignore=shutil.ignore_patterns("README*"))
    originals = [(p.relative_to(corpus), p.read_text("utf-8")) for p in source_files(corpus)]
    for name, data in long_episode_documents(originals).items():
        (corpus / name).write_bytes(data)
    manage(env, "migrate", "--noinput")
    manage(env, "import_seeds", str(corpus))
    manage(env, "collectstatic", "--noinput")
    done = subprocess.run(
        [str(PYTHON), "-m", "tests.bench.episode_page", "setup"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    fixture = json.loads(done.stdout)
    results.notes.append(
        f"busy episode: {fixture['busy']} ({fixture['busy_title']}), {fixture['busy_articles']} "
        f"articles, {fixture['busy_claims']} claims, {PUBLIC_NOTES} public notes by one "
        f"person and {PRIVATE_NOTES} private by another; long episode: {LONG_EPISODE_ID}, "
        f"{LONG_NOTES} public notes"
    )
    log = RESULTS_DIR / "episode-page-gunicorn.log"
    with gunicorn(env, log, workers=1) as base_url:
        _medians(base_url, fixture, results)
    with gunicorn(env, log, workers=2) as base_url:
        _throughput(base_url, fixture, results, seconds)
    _cold_starts(env, log, fixture, corpus, results)


def _get(base_url: str, path: str, cookie: str = "", headers: dict | None = None) -> bytes:
    return _request(base_url, "GET", path, None, {"Cookie": cookie, **(headers or {})})


def _post(base_url: str, path: str, cookie: str, fields: dict, headers: dict) -> bytes:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    body = urllib.parse.urlencode(fields)
    return _request(base_url, "POST", path, body, {"Cookie": cookie, **form, **headers})


def _request(base_url: str, method: str, path: str, body: str | None, headers: dict) -> bytes:
    """One request on a new connection; anything but 200 stops the benchmark, saying why."""
    host = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path} answered {response.status}: {answer[:300]!r}")
        return answer
    finally:
        connection.close()


def _median_ms(action, runs: int = RUNS) -> float:
    for _ in range(3):  # warm up: the first answers fill caches and import code
        action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _medians(base_url: str, fixture: dict, results: Results) -> None:
    static = static_url("css/site.css")
    static_ms = _median_ms(lambda: _get(base_url, static))
    results.add(GROUP, "static site.css, median", static_ms, "ms", note=static)
    busy = f"/episodes/{fixture['busy']}/"
    readers = [
        ("anonymous", ""),
        ("signed in, not an author", fixture["reader_cookie"]),
        ("the notes' author", fixture["author_cookie"]),
    ]
    for name, cookie in readers:
        _ratio_row(
            results, f"busy page, {name}", static_ms, READER_TARGET_RATIO, busy, cookie, base_url
        )
    long = f"/episodes/{LONG_EPISODE_ID}/"
    for name, cookie in [("anonymous", ""), ("signed in", fixture["reader_cookie"])]:
        _ratio_row(
            results,
            f"1,000-claim page, {LONG_NOTES} notes, {name}",
            static_ms,
            LONG_TARGET_RATIO,
            long,
            cookie,
            base_url,
        )
    write_ms = _median_ms(lambda: _write_round_trip(base_url, fixture))
    results.add(
        GROUP,
        "writing a note: POST, fragment, timeline redraw, median",
        write_ms,
        "ms",
        baseline=static_ms,
        baseline_name="static file",
        target=f"≤ {WRITE_TARGET_RATIO}x static",
        met=write_ms <= WRITE_TARGET_RATIO * static_ms,
        note=f"htmx POST {busy}notes/new/ as the writer, its answer with the timeline",
    )


def _ratio_row(results, label, static_ms, target, path, cookie, base_url) -> None:
    page_ms = _median_ms(lambda: _get(base_url, path, cookie))
    size = len(_get(base_url, path, cookie))
    results.add(
        GROUP,
        f"{label}, median",
        page_ms,
        "ms",
        baseline=static_ms,
        baseline_name="static file",
        target=f"≤ {target}x static",
        met=page_ms <= target * static_ms,
        note=f"{path}: {size / 1e3:.0f} KB, median of {RUNS}",
    )


def _write_round_trip(base_url: str, fixture: dict) -> None:
    """Writing a note as the episode page does: one htmx POST, whose answer brings the claim's
    notes and the timeline (static/js/episode.js asks for the timeline only when it did not)."""
    busy = f"/episodes/{fixture['busy']}/"
    htmx = {
        "HX-Request": "true",
        "HX-Current-URL": f"{base_url}{busy}",
        "X-CSRFToken": fixture["writer_token"],
    }
    fields = {
        "claim": fixture["write_claim"],
        "body": "A note in passing.",
        "visibility": "private",
    }
    answer = _post(base_url, f"{busy}notes/new/", fixture["writer_cookie"], fields, htmx)
    if b'id="episode-timeline" hx-swap-oob="true"' not in answer:
        raise RuntimeError("The answer to a note written did not bring the timeline.")


def _throughput(base_url: str, fixture: dict, results: Results, seconds: int) -> None:
    if shutil.which("wrk") is None:
        results.skip(GROUP, "wrk", "wrk is not installed (Debian: apt-get install wrk)")
        return
    static = static_url("css/site.css")
    static_rate, _, _ = wrk(base_url + static, seconds, {"Accept-Encoding": "gzip, br"})
    page = f"/episodes/{fixture['busy']}/"
    rate, p99, errors = wrk(base_url + page, seconds, {"Cookie": fixture["reader_cookie"]})
    results.add(GROUP, "wrk: static site.css requests/s", static_rate, "req/s")
    results.add(
        GROUP,
        "wrk: busy page signed in requests/s",
        rate,
        "req/s",
        baseline=static_rate,
        baseline_name="static file",
        target=f"≥ {WRK_TARGET_SHARE:.0%} of static",
        met=rate >= WRK_TARGET_SHARE * static_rate,
        note=f"2 workers, 10 connections, p99 {p99:.0f} ms" + (f"; {errors}" if errors else ""),
    )


def _cold_starts(env, log: Path, fixture: dict, corpus: Path, results: Results) -> None:
    busy = f"/episodes/{fixture['busy']}/"
    with gunicorn(env, log, workers=1) as base_url:
        first = _timed(lambda: _get(base_url, busy, fixture["reader_cookie"]))
        second = _timed(lambda: _get(base_url, busy, fixture["reader_cookie"]))
        results.add(
            GROUP,
            "cold: first signed-in busy page after the server starts",
            first,
            "ms",
            note=f"the next one: {second:.0f} ms",
        )
        article = next(
            p for p in source_files(corpus) if f"{fixture['busy']}\n" in p.read_text("utf-8")
        )
        article.write_text(article.read_text("utf-8") + "\n\nOne more line.\n", "utf-8")
        manage(env, "import_seeds", str(article))
        after = _timed(lambda: _get(base_url, busy, fixture["reader_cookie"]))
        anonymous = _timed(lambda: _get(base_url, busy))
        results.add(
            GROUP,
            "cold: first signed-in busy page after an import changed it",
            after,
            "ms",
            note=f"then anonymous: {anonymous:.0f} ms",
        )


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def setup() -> dict:
    """Write the notes through the service layer and sign the readers in (run in a child)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from apps.annotations.models import Annotation
    from apps.episodes.models import Claim, Episode

    busy = (
        Episode.objects.exclude(video_id=LONG_EPISODE_ID)
        .annotate(
            article_count=Count("articles", distinct=True),
            claim_count=Count("articles__claims", distinct=True),
        )
        .order_by("-article_count", "-claim_count", "video_id")
        .first()
    )
    people = {
        name: User.objects.create_user(name, password=None)
        for name in ("author", "other", "reader", "writer")
    }
    claims = list(Claim.objects.filter(article__episode=busy).order_by("article_id", "position"))
    _spread(people["author"], busy, claims, PUBLIC_NOTES, 0, Annotation.Visibility.PUBLIC)
    _spread(people["other"], busy, claims, PRIVATE_NOTES, 1, Annotation.Visibility.PRIVATE)
    long = Episode.objects.get(video_id=LONG_EPISODE_ID)
    long_claims = list(
        Claim.objects.filter(article__episode=long).order_by("article_id", "position")
    )
    _spread(people["author"], long, long_claims, LONG_NOTES, 0, Annotation.Visibility.PUBLIC)
    cookies = {}
    for name, person in people.items():
        client = Client()
        client.force_login(person)
        cookies[name] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    writer = Client(HTTP_HOST="127.0.0.1")
    writer.force_login(people["writer"])
    page = writer.get(f"/episodes/{busy.video_id}/").content.decode()
    token = writer.cookies[settings.CSRF_COOKIE_NAME].value
    return {
        "busy": busy.video_id,
        "busy_title": busy.display_title,
        "busy_articles": busy.article_count,
        "busy_claims": busy.claim_count,
        "author_cookie": cookies["author"],
        "reader_cookie": cookies["reader"],
        "writer_cookie": f"{cookies['writer']}; {settings.CSRF_COOKIE_NAME}={token}",
        "writer_token": _TOKEN.search(page)[1],
        "write_claim": claims[len(claims) // 2].pk,
    }


def _spread(author, episode, claims, count, offset, visibility) -> None:
    from apps.annotations.services import annotation_create

    step = max(len(claims) // count, 1)
    for number in range(count):
        claim = claims[(offset + number * step) % len(claims)]
        body = (
            f"Note {number + 1}: **worth** a look, see [the source](https://example.com/{number})."
        )
        annotation_create(
            author=author, episode=episode, claim=claim, body=body, visibility=visibility
        )


if __name__ == "__main__" and sys.argv[1:] == ["setup"]:
    print(json.dumps(setup()))

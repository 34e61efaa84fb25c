"""Server time of pages and API answers, in process, beside a trivial view.

    python -m tests.bench.pages OUTPUT.json [PROFILE.txt]   (run by `make bench`)

Runs in its own process with production settings (from the environment that `make bench`
gives it) against the database the import benchmark filled. Each URL is requested through
django.test.Client, as a browser would over HTTPS, until `MAX_RUNS` answers or
`SECONDS_PER_URL` have passed (at least `MIN_RUNS`); the median is reported with the number
of SQL queries of one answer. When the seed's episode page is slower than `PAGE_TARGET_RATIO`
times the trivial view, the page is profiled with pyinstrument and the profile written out.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

SEED_VIDEO_ID = "Wo95ob_s_NI"
MIN_RUNS, MAX_RUNS, SECONDS_PER_URL = 10, 300, 4.0
PAGE_TARGET_RATIO = 5
PROFILE_RUNS = 60
PROFILE_TOP_LINES = 25


def measure(client, url: str) -> dict:
    from django.db import connection

    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url, secure=True)
    timings: list[float] = []
    deadline = time.perf_counter() + SECONDS_PER_URL
    while len(timings) < MIN_RUNS or (len(timings) < MAX_RUNS and time.perf_counter() < deadline):
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append(time.perf_counter() - started)
    return {
        "url": url,
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "runs": len(timings),
        "median_ms": statistics.median(timings) * 1000,
    }


def profile(client, url: str) -> str:
    """pyinstrument's call tree of `PROFILE_RUNS` answers, then the top functions by own time."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    # This machine's precise clock is slow to read (~50 µs a call); from 5 ms between samples
    # pyinstrument uses the coarse one, which costs nothing, so more runs make up the samples.
    profiler = Profiler(interval=0.005)
    with profiler:
        for _ in range(PROFILE_RUNS):
            client.get(url, secure=True)
    tree = profiler.output(ConsoleRenderer(unicode=True, color=False))
    flat = profiler.output(ConsoleRenderer(unicode=True, color=False, flat=True, show_all=True))
    top = "\n".join(flat.strip().splitlines()[: PROFILE_TOP_LINES + 6])
    return f"{tree}\n\nTop functions by own time:\n{top}\n"


def main(output: Path, profile_output: Path | None) -> None:
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from apps.episodes.models import Claim, Episode

    # Not setup_test_environment(): it instruments template rendering, slowing what is timed.
    client = Client(HTTP_HOST="127.0.0.1")
    long_episode = (
        Episode.objects.annotate(claims=Count("articles__claims"))
        .filter(claims__gte=1000)
        .order_by("claims")
        .values_list("video_id", "claims")
        .first()
    )
    seed_claims = Claim.objects.filter(article__episode__video_id=SEED_VIDEO_ID).count()
    urls = {
        "trivial": "/bench/trivial",
        "seed page": f"/episodes/{SEED_VIDEO_ID}/",
        "seed JSON": f"/api/episodes/{SEED_VIDEO_ID}",
    }
    if long_episode:
        urls["long page"] = f"/episodes/{long_episode[0]}/"
        urls["long JSON"] = f"/api/episodes/{long_episode[0]}"
    for url in urls.values():  # warm every cache before anything is timed
        for _ in range(3):
            client.get(url, secure=True)
    found = {name: measure(client, url) for name, url in urls.items()}
    # Anonymous readers get the page kept in the cache; a signed-in reader's is rendered
    # every time, which is what the page costs without the cache.
    from django.contrib.auth.models import User

    reader = Client(HTTP_HOST="127.0.0.1")
    reader.force_login(User.objects.get_or_create(username="bench-reader")[0])
    found["seed page signed in"] = measure(reader, urls["seed page"])
    found["seed claims"] = seed_claims
    found["long claims"] = long_episode[1] if long_episode else 0
    ratio = found["seed page"]["median_ms"] / found["trivial"]["median_ms"]
    if profile_output is not None and ratio > PAGE_TARGET_RATIO:
        text = profile(client, urls["seed page"])
        profile_output.parent.mkdir(parents=True, exist_ok=True)
        profile_output.write_text(text, encoding="utf-8")
        found["profile"] = str(profile_output)
    output.write_text(json.dumps(found, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)

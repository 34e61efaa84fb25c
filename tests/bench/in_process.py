"""The busy episode page for each kind of reader, in process: quick, and no server needed.

    .venv/bin/python -m tests.bench.in_process [--runs 30]     (about a minute)

It imports the ../shared/corpus channel holding the busy episode into a fresh SQLite file,
writes the notes as `episode_page.py` does (100 public by one person, 20 private by another),
then prints, per reader, the page's size and the median and fastest time of Django's test
client with production settings (on a busy machine the fastest is the steadier figure). Over
HTTP, beside a static file, is `python -m tests.bench --only episode-page`; this is the figure
to compare one change with the next on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .corpus import SHARED_CORPUS
from .processes import PYTHON, ROOT, manage, production_env

BUSY_CHANNEL = "current/jcs"  # the channel of the corpus's episode with the most articles
READERS = ("anonymous", "reader", "author")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="seeknotes-in-process-") as scratch:
        env = production_env(f"sqlite:///{Path(scratch) / 'db.sqlite3'}")
        shutil.copytree(SHARED_CORPUS / BUSY_CHANNEL, Path(scratch) / "corpus")
        manage(env, "migrate", "--noinput")
        manage(env, "import_seeds", str(Path(scratch) / "corpus"))
        manage(env, "collectstatic", "--noinput")
        done = subprocess.run(
            [str(PYTHON), "-m", "tests.bench.in_process", "--measure", str(runs)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    for row in json.loads(done.stdout.splitlines()[-1]):
        print(
            f"{row['episode']}  {row['reader']:<10} {row['kilobytes']:>6} KB"
            f"  median {row['median_ms']:>6.1f} ms  fastest {row['fastest_ms']:>6.1f} ms"
        )


def measure(runs: int) -> list[dict]:
    """Write the notes, then time each reader's page (run in a child with the settings)."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from apps.episodes.models import Claim, Episode

    from .episode_page import PRIVATE_NOTES, PUBLIC_NOTES, _spread

    busy = (
        Episode.objects.annotate(
            article_count=Count("articles", distinct=True),
            claim_count=Count("articles__claims", distinct=True),
        )
        .order_by("-article_count", "-claim_count", "video_id")
        .first()
    )
    people = {name: User.objects.create_user(name) for name in ("author", "other", "reader")}
    claims = list(Claim.objects.filter(article__episode=busy).order_by("article_id", "position"))
    _spread(people["author"], busy, claims, PUBLIC_NOTES, 0, "public")
    _spread(people["other"], busy, claims, PRIVATE_NOTES, 1, "private")
    rows = []
    for reader in READERS:
        client = Client(HTTP_HOST="127.0.0.1")
        if reader != "anonymous":
            client.force_login(User.objects.get(username=reader))
        url = f"/episodes/{busy.video_id}/"
        size = len(client.get(url).content)  # the first request renders the shared pieces
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        median = statistics.median(times) * 1000
        rows.append(
            {
                "episode": busy.video_id,
                "reader": reader,
                "kilobytes": size // 1000,
                "median_ms": median,
                "fastest_ms": min(times) * 1000,
            }
        )
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main()

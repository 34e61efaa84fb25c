"""Import the corpus into a fresh database and time the seed's episode page.

    .venv/bin/python -m tests.bench.figures [CORPUS_DIR]

Prints the import's wall time and documents per second, then the median server time of 50
in-process renders of the seed's episode page. Uses a throwaway SQLite file unless
DATABASE_URL is set (then that database is flushed first: never point it at real data).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_VIDEO_ID = "Wo95ob_s_NI"


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    scratch = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch.name}/bench.sqlite3")
    # Debug mode logs every query, which would slow what is measured: run as in production.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "figures-only-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "apps.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from apps.episodes.importer import ImportReport, find_seed_files, import_paths

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    files = find_seed_files([corpus, ROOT / "seeds"], ImportReport())
    documents = len(files)
    megabytes = sum(p.stat().st_size for p in files)
    started = time.perf_counter()
    report = import_paths([corpus, ROOT / "seeds"])
    elapsed = time.perf_counter() - started
    print(report.summary())
    print(
        f"import: {documents} documents, {megabytes / 1e6:.1f} MB in {elapsed:.2f} s "
        f"= {documents / elapsed:.0f} documents/s"
    )

    started = time.perf_counter()
    again = import_paths([corpus, ROOT / "seeds"])
    print(
        f"re-import unchanged: {time.perf_counter() - started:.2f} s ({again.unchanged} unchanged)"
    )

    setup_test_environment()
    client = Client()
    url = f"/episodes/{SEED_VIDEO_ID}/"
    queries: list[str] = []

    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append(time.perf_counter() - started)
    print(
        f"episode page {url}: median {statistics.median(timings) * 1000:.1f} ms of 50 renders, "
        f"{len(queries)} SQL queries, {len(response.content) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()

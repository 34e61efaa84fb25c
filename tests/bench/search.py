"""Search at scale: p50/p95 of 200 queries on SQLite and PostgreSQL beside `icontains`.

    .venv/bin/python -m tests.bench.search [--copies 10] [--no-postgres] [--keep DIR]
        [--postgres-database NAME]

Builds the ~21,000-document corpus (corpus.py), imports it into a fresh SQLite file and a
fresh PostgreSQL database with `manage.py import_seeds` (then vacuums PostgreSQL, so that no
autovacuum runs while queries are timed), then, in one child process per database, times 200 queries through `apps.search.queries.search` (the count and first page
of 20, as the search page asks) — 80 single mid-frequency words, 60 pairs of them, 60
prefixes — and the same kind of query as a case-insensitive `icontains` scan over claims'
labels and text, the baseline. Prints one table, a row per database and kind of query;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .corpus import DEFAULT_COPIES, build_corpus

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "seeknotes_bench_search"
QUERIES = 200
BASELINE_QUERIES = 40  # an icontains scan takes long enough that a sample of 40 suffices
PAGE = 20


def env_for(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-0123456789",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "apps.settings",
    }


def manage(database_url: str, *args: str) -> float:
    """Run a management command quietly (an import warns about thousands of lines)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(database_url),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def settle_postgres(database_url: str) -> None:
    """Vacuum and analyze now, as autovacuum would soon after a big import.

    Otherwise autovacuum may start on the freshly filled tables while queries are timed,
    on either database (they share the machine's cores).
    """
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
        connection.execute("CHECKPOINT")  # and write out what the import left in memory


def fresh_postgres(name: str = POSTGRES_DATABASE) -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES_SERVER}/{name}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def choose_queries() -> list[str]:
    """200 queries from words of mid frequency in claims (0.05% to 0.5% of them), seeded."""
    import django

    django.setup()
    from apps.episodes.models import Claim
    from apps.reader.words import tokens

    frequency: Counter[str] = Counter()
    claims = 0
    for label, text in Claim.objects.values_list("label", "text").iterator(chunk_size=5000):
        claims += 1
        frequency.update(set(tokens(f"{label} {text}")))
    low, high = claims * 0.0005, claims * 0.005
    middle = sorted(w for w, n in frequency.items() if low <= n <= high and len(w) >= 4)
    chooser = random.Random(20261126)
    words = chooser.sample(middle, 80)
    pairs = [" ".join(chooser.sample(middle, 2)) for _ in range(60)]
    prefixes = [word[: max(3, len(word) // 2)] for word in chooser.sample(middle, 60)]
    return words + pairs + prefixes


def measure(queries: list[str]) -> dict:
    """Run in a child process whose DATABASE_URL names the database to measure."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q

    from apps.episodes.models import Claim
    from apps.search.models import SearchDocument
    from apps.search.queries import search

    def timed(run) -> float:
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) * 1000

    def fulltext(query: str) -> None:
        results = search(query)
        results.count()
        results[:PAGE]

    def icontains(query: str) -> None:
        claims = Claim.objects.all()
        for word in query.split():
            claims = claims.filter(Q(label__icontains=word) | Q(text__icontains=word))
        claims.count()
        list(claims.order_by("pk")[:PAGE])

    # Warm the caches as a running server's would be: each query once, and a scan of claims.
    for query in queries:
        fulltext(query)
    icontains(queries[0])
    search_ms = [timed(lambda q=query: fulltext(q)) for query in queries]
    baseline_ms = [
        timed(lambda q=query: icontains(q))
        for query in queries[:: len(queries) // BASELINE_QUERIES]
    ]
    hits = [search(query).count() for query in queries]
    return {
        "vendor": connection.vendor,
        "claims": Claim.objects.count(),
        "documents": SearchDocument.objects.count(),
        "search_ms": search_ms,
        "baseline_ms": baseline_ms,
        "median_hits": statistics.median(hits),
    }


def child(mode: str, database_url: str, payload: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.search", "--child", mode],
        cwd=ROOT,
        env=env_for(database_url),
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", type=Path, help="reuse/keep the corpus and databases here")
    parser.add_argument("--postgres-database", default=POSTGRES_DATABASE, metavar="NAME")
    parser.add_argument("--child", choices=["queries", "measure"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child == "queries":
        print(json.dumps(choose_queries()))
        return
    if arguments.child == "measure":
        print(json.dumps(measure(json.loads(sys.stdin.read()))))
        return

    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="seeknotes-search-"))
    corpus_folder = folder / "corpus"
    if not corpus_folder.is_dir():
        corpus = build_corpus(corpus_folder, copies=arguments.copies)
        print(f"corpus: {corpus.files:,} documents, {corpus.megabytes:.0f} MB", flush=True)
    databases = {"sqlite": f"sqlite:///{folder / 'search.sqlite3'}"}
    if not arguments.no_postgres:
        databases["postgresql"] = fresh_postgres(arguments.postgres_database)
    for name, url in databases.items():
        if name == "sqlite" and (folder / "search.sqlite3").exists():
            continue
        manage(url, "migrate", "--noinput")
        seconds = manage(url, "import_seeds", str(corpus_folder))
        print(f"{name}: imported and indexed in {seconds:.0f} s", flush=True)
        if name == "postgresql":
            settle_postgres(url)
    queries = json.loads(child("queries", databases["sqlite"]))
    print("figure | claims | p50 ms | p95 ms | icontains p50 ms | icontains p95 ms | p95 ratio")
    print("---|---|---|---|---|---|---")
    for name, url in databases.items():
        figures = json.loads(child("measure", url, json.dumps(queries)))
        b50, b95 = (percentile(figures["baseline_ms"], f) for f in (0.5, 0.95))
        times = figures["search_ms"]
        for kind, part in [
            ("all", times),
            ("words", times[:80]),
            ("pairs", times[80:140]),
            ("prefixes", times[140:]),
        ]:
            p50, p95 = (percentile(part, f) for f in (0.5, 0.95))
            print(
                f"search, {name}, {kind} | {figures['claims']:,} | {p50:.1f} | {p95:.1f} | "
                f"{b50:.0f} | {b95:.0f} | {b95 / p95:.0f}x"
            )


if __name__ == "__main__":
    main()

"""`make bench`: the whole benchmark suite, one table, and its JSON.

    .venv/bin/python -m tests.bench [--copies N] [--seconds S] [--no-postgres]
                                    [--only episode-page]

1. builds a ~21,000-document corpus from ../shared/corpus in a temporary folder (corpus.py);
2. imports it into fresh SQLite and PostgreSQL databases and again unchanged, beside the
   parser and `sqlite3` baselines (imports.py);
3. times pages and API answers in process, beside a trivial view (pages.py);
4. serves the SQLite database with gunicorn and loads it with wrk (over_http.py);
5. opens the episode page in Chromium (browser.py);
6. times the episode page for the people who annotate over HTTP (episode_page.py).
Then prints one table (figure, value, baseline, ratio, target, met) and writes it, with the
notes, to bench-results/latest.json (and latest.md). Nothing is asserted: a missed target is
reported, not failed. About 8 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from .browser import measure_browser
from .corpus import DEFAULT_COPIES, SHARED_CORPUS, build_corpus
from .episode_page import measure_episode_page
from .imports import measure_parsing, measure_postgres, measure_sqlite
from .over_http import gunicorn, measure_http
from .pages import PAGE_TARGET_RATIO
from .processes import PYTHON, ROOT, manage, production_env
from .report import RESULTS_DIR, Results

WRK_SECONDS = 10


def step(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--copies", type=int, default=DEFAULT_COPIES, help="corpus copies")
    parser.add_argument("--seconds", type=int, default=WRK_SECONDS, help="wrk time per URL")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL import")
    parser.add_argument("--only", choices=["episode-page"], help="run these rows alone")
    options = parser.parse_args()
    if not SHARED_CORPUS.is_dir():
        sys.exit(f"bench: no corpus at {SHARED_CORPUS} (see its README)")

    results = Results()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        run_suite(options, results)
    except BaseException as error:
        # Whatever was measured before a failure or ^C is still worth its table.
        results.notes.append(f"INCOMPLETE: the suite stopped early ({error!r})")
        raise
    finally:
        results.notes.append(
            f"the suite took {time.perf_counter() - started:.0f} s; load average "
            f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} "
            f"CPUs (other work on the machine makes every figure worse)"
        )
        report(results)


def run_suite(options: argparse.Namespace, results: Results) -> None:
    with tempfile.TemporaryDirectory(prefix="seeknotes-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if options.only == "episode-page":
            step("the episode page for the people who annotate, over HTTP")
            measure_episode_page(production_env(""), scratch, results, options.seconds)
            return
        step(f"building the corpus ({options.copies} copies of {SHARED_CORPUS})")
        corpus = build_corpus(scratch / "corpus", copies=options.copies)
        results.notes.append(
            f"corpus: {corpus.files:,} documents, {corpus.megabytes:.0f} MB "
            f"({corpus.copies} distinct copies of ../shared/corpus and one "
            f"1,000-claim episode)"
        )
        step(f"parser baselines over {corpus.files:,} documents")
        parse_seconds = measure_parsing(corpus, results)
        step("import into a fresh SQLite database, then again unchanged")
        database = measure_sqlite(corpus, scratch, results, parse_seconds)
        if options.no_postgres:
            results.skip("import", "PostgreSQL import", "--no-postgres")
        else:
            step("import into a fresh PostgreSQL database, then again unchanged")
            measure_postgres(corpus, results)

        env = production_env(f"sqlite:///{database}")
        manage(env, "collectstatic", "--noinput")
        step("pages and API in process")
        measure_pages(env, results)
        step(f"over HTTP: gunicorn and wrk, {options.seconds} s per URL")
        with gunicorn(env, RESULTS_DIR / "gunicorn.log") as base_url:
            measure_http(base_url, options.seconds, results)
            step("the episode page in Chromium")
            measure_browser(base_url, results)
        step("the episode page for the people who annotate, over HTTP")
        measure_episode_page(env, scratch, results, options.seconds)


def report(results: Results) -> None:
    table = results.table()
    notes = results.notes_text()
    print(table)
    print()
    print(notes)
    results.write_json(RESULTS_DIR / "latest.json")
    (RESULTS_DIR / "latest.md").write_text(f"{table}\n\n{notes}\n", encoding="utf-8")
    step(f"written to {(RESULTS_DIR / 'latest.json').relative_to(ROOT)}")


def measure_pages(env: dict[str, str], results: Results) -> None:
    import subprocess

    output = RESULTS_DIR / "pages.json"
    profile_output = RESULTS_DIR / "episode-page-profile.txt"
    profile_output.unlink(missing_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(PYTHON), "-m", "tests.bench.pages", str(output), str(profile_output)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    found = json.loads(output.read_text())
    group = "in process"
    trivial = found["trivial"]["median_ms"]
    claims = {"seed": found["seed claims"], "long": found["long claims"]}
    for key, label in [
        ("trivial", "trivial view"),
        ("seed page", f"seed's episode page ({claims['seed']} claims)"),
        (
            "seed page signed in",
            f"seed's episode page signed in, rendered ({claims['seed']} claims)",
        ),
        ("seed JSON", f"seed's episode JSON ({claims['seed']} claims)"),
        ("long page", f"long episode page ({claims['long']} claims)"),
        ("long JSON", f"long episode JSON ({claims['long']} claims)"),
    ]:
        measured = found.get(key)
        if measured is None:
            results.skip(group, label, "no episode of 1,000 claims in the database")
            continue
        if measured["status"] != 200:
            reason = f"{measured['url']} answers {measured['status']}"
            if "JSON" in key and measured["status"] == 404:
                reason += " (no /api/episodes/{id} in apps/api.py yet)"
            results.skip(group, label, reason)
            continue
        is_seed_page = key == "seed page"
        results.add(
            group,
            f"{label}, median",
            measured["median_ms"],
            "ms",
            baseline=trivial if key != "trivial" else None,
            baseline_name="trivial view",
            target=f"≤ {PAGE_TARGET_RATIO}x trivial" if is_seed_page else "",
            met=measured["median_ms"] <= PAGE_TARGET_RATIO * trivial if is_seed_page else None,
            note=(
                f"{measured['url']}: {measured['queries']} SQL queries, "
                f"{measured['bytes'] / 1e3:.0f} KB, median of {measured['runs']}"
            ),
        )
        results.add(group, f"{label}, SQL queries", measured["queries"], "count")
    if "profile" in found:
        results.notes.append(
            f"the seed's episode page misses its target: its profile is in "
            f"{Path(found['profile']).relative_to(ROOT)}"
        )


if __name__ == "__main__":
    main()

"""`make soak`: people using the site for a while, served as in production, then checked.

    .venv/bin/python -m tests.soak [--people 50] [--seconds 120] [--no-postgres]
        [--no-import] [--postgres-database NAME]

For SQLite and for PostgreSQL (127.0.0.1:5432; skipped, saying so, when it cannot be
reached), each run:
1. makes a fresh database, migrates it, imports seeds/ and a few documents of
   ../shared/corpus, and creates one account and API token per person (prepare.py);
2. serves it with gunicorn (2 workers, production settings, behind one trusted proxy);
3. runs locust headless (locustfile.py): `--people` people, 10 more a second, for
   `--seconds`, each from an address of their own, reading, searching, seeking, writing,
   editing, sharing, deleting and importing notes;
4. checks every acknowledged write against the database (reconcile.py).
Then the same on both databases while `manage.py import_seeds ../shared/corpus` runs beside
the people (started with locust; the content changes, so only notes are reconciled).

Prints requests, answers by status, p50/p95 per kind of request and the reconciliation, and
writes them to soak-results/latest.md. Each run's folder there keeps the server's log, the
import's, locust's CSV, the plan and the ledger; its database stays (the SQLite file there,
or PostgreSQL's NAME and NAME_import) until the next soak makes it afresh. Exits 1 when any
answer was a 5xx (or none came), the import beside the people crashed, or the reconciliation
found a mismatch. About 12 minutes with the defaults.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.bench.corpus import SHARED_CORPUS
from tests.bench.imports import POSTGRES_SERVER
from tests.bench.over_http import gunicorn
from tests.bench.processes import PYTHON, ROOT, manage, production_env

from .report import RunResult, read_run, report

RESULTS_DIR = ROOT / "soak-results"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SPAWN_RATE = 10
# Users finish the task under way when the time is up, so that no write is cut off unanswered.
STOP_TIMEOUT_SECONDS = 60
IMPORT_TIMEOUT_SECONDS = 900
SEED_VIDEO_ID = "Wo95ob_s_NI"
OTHER_DOCUMENTS = 8


def step(message: str) -> None:
    print(f"soak: {message}", file=sys.stderr, flush=True)


def few_documents() -> list[Path]:
    """The seed episode's other articles and a few more episodes, from ../shared/corpus."""
    folder = SHARED_CORPUS / "seed-era"
    if not folder.is_dir():
        return []
    seed_texts = {path.read_bytes() for path in (ROOT / "seeds").iterdir()}
    documents = [
        path for path in sorted(folder.glob("*.md")) if path.read_bytes() not in seed_texts
    ]
    of_seed = [path for path in documents if f"videoId: {SEED_VIDEO_ID}" in path.read_text()]
    others = [path for path in documents if path not in of_seed and path.stem != "index"]
    return of_seed + others[:OTHER_DOCUMENTS]


def fresh_database(kind: str, folder: Path, name: str) -> str | None:
    """A new, empty database's URL; None when PostgreSQL cannot be reached. Each run's
    database is left for a look afterwards, until the next soak makes it afresh."""
    if kind == "SQLite":
        for leftover in folder.glob("db.sqlite3*"):
            leftover.unlink()
        return f"sqlite:///{folder / 'db.sqlite3'}"
    import psycopg

    try:
        admin = psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        step(f"PostgreSQL skipped: no server at {POSTGRES_SERVER} ({str(error).strip()})")
        return None
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_SERVER}/{name}"


def run_command(env: dict[str, str], *arguments: str) -> None:
    """`manage.py` with `arguments`; its output is shown when it fails."""
    try:
        manage(env, *arguments)
    except subprocess.CalledProcessError as error:
        sys.exit(f"soak: manage.py {arguments[0]} failed:\n{error.stdout}\n{error.stderr}")


def prepare(env: dict[str, str], folder: Path, people: int) -> Path:
    step("migrating, importing seeds/ and a few documents, creating the people")
    run_command(env, "migrate", "--noinput")
    run_command(env, "import_seeds", str(ROOT / "seeds"), *map(str, few_documents()))
    plan = folder / "plan.json"
    subprocess.run(
        [str(PYTHON), "-m", "tests.soak.prepare", str(plan), str(people)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return plan


def run_locust(base_url: str, plan: Path, folder: Path, options: argparse.Namespace) -> None:
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        f"--locustfile={LOCUSTFILE}",
        "--headless",
        "--only-summary",
        f"--users={options.people}",
        f"--spawn-rate={SPAWN_RATE}",
        f"--run-time={options.seconds}s",
        f"--stop-timeout={STOP_TIMEOUT_SECONDS}",
        f"--host={base_url}",
        f"--csv={folder / 'locust'}",
        "--loglevel=WARNING",
    ]
    environment = {"SOAK_PLAN": str(plan), "SOAK_LEDGER": str(folder / "ledger.json")}
    with (folder / "locust.log").open("w") as log:
        # Exit status 1 only says some request failed; the ledger and the CSV say which.
        subprocess.run(
            command,
            cwd=ROOT,
            env={**_plain_environment(), **environment},
            stdout=log,
            stderr=log,
        )


def _plain_environment() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}


@dataclass
class ImportBeside:
    """`import_seeds` of the whole corpus, run beside the people; how it ended."""

    returncode: int | None = None
    seconds: float | None = None


@contextlib.contextmanager
def corpus_import(env: dict[str, str], log: Path, wanted: bool) -> Iterator[ImportBeside]:
    """Starts the import (when `wanted`), and waits for it to end on leaving."""
    ended = ImportBeside()
    if not wanted:
        yield ended
        return
    started = time.monotonic()
    with log.open("w") as output:
        importer = subprocess.Popen(
            [str(PYTHON), "manage.py", "import_seeds", str(SHARED_CORPUS)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )

        def time_it() -> None:  # its own time, however long the people go on after it
            ended.returncode = importer.wait()
            ended.seconds = time.monotonic() - started

        timer = threading.Thread(target=time_it, daemon=True)
        timer.start()
        try:
            yield ended
            timer.join(timeout=IMPORT_TIMEOUT_SECONDS)
        finally:
            if importer.poll() is None:
                importer.kill()
                importer.wait()
    if ended.returncode is None:
        sys.exit(f"soak: the import did not end within {IMPORT_TIMEOUT_SECONDS} s")


def reconcile(env: dict[str, str], plan: Path, folder: Path, notes_only: bool) -> None:
    arguments = [str(plan), str(folder / "ledger.json"), str(folder / "reconciled.json")]
    subprocess.run(
        [str(PYTHON), "-m", "tests.soak.reconcile", *arguments]
        + (["--notes-only"] if notes_only else []),
        cwd=ROOT,
        env=env,
        check=True,
    )


def soak(kind: str, beside_import: bool, options: argparse.Namespace) -> RunResult | None:
    name = f"{kind} with the corpus import" if beside_import else kind
    folder = RESULTS_DIR / name.lower().replace(" ", "-")
    folder.mkdir(parents=True, exist_ok=True)
    database = options.postgres_database + ("_import" if beside_import else "")
    url = fresh_database(kind, folder, database)
    if url is None:
        return None
    env = production_env(url, DJANGO_SECURE_COOKIES="0", DJANGO_TRUSTED_PROXY_COUNT="1")
    plan = prepare(env, folder, options.people)
    with (
        gunicorn(env, folder / "gunicorn.log") as base_url,
        corpus_import(env, folder / "import.log", beside_import) as ended,
    ):
        step(f"{name}: {options.people} people for {options.seconds} s at {base_url}")
        run_locust(base_url, plan, folder, options)
        if beside_import:
            step(f"{name}: waiting for the import to end")
    step(f"{name}: reconciling the acknowledged writes with the database")
    reconcile(env, plan, folder, notes_only=beside_import)
    return read_run(name, folder, ended.seconds, ended.returncode)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=50, help="simulated people (accounts)")
    parser.add_argument("--seconds", type=int, default=120, help="how long each run lasts")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-import", action="store_true", help="skip the runs beside an import")
    parser.add_argument(
        "--postgres-database",
        default="seeknotes_soak",
        help="made afresh (and NAME_import for the run beside the import)",
    )
    options = parser.parse_args()

    runs = [("SQLite", False), ("PostgreSQL", False)]
    if options.no_import:
        step("the runs beside an import are skipped (--no-import)")
    elif not SHARED_CORPUS.is_dir():
        step(f"the runs beside an import are skipped: no corpus at {SHARED_CORPUS}")
    else:
        runs += [("SQLite", True), ("PostgreSQL", True)]
    if options.no_postgres:
        runs = [run for run in runs if run[0] == "SQLite"]

    started = time.monotonic()
    run_command(production_env("sqlite:///:memory:"), "collectstatic", "--noinput")
    results = [soak(kind, beside_import, options) for kind, beside_import in runs]
    results = [result for result in results if result is not None]
    passed = report(results, RESULTS_DIR, time.monotonic() - started)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()

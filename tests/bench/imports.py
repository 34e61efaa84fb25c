"""Import figures: the corpus into fresh SQLite and PostgreSQL databases, and baselines.

Each import runs `manage.py import_seeds` in a child process (as a person would), so its wall
time includes the command's start-up and its memory is the command's own: the peak of its
process tree (the importer parses in worker processes) sampled every 20 ms.

Baselines, measured in the same run on the same files:
- reading and parsing alone, in one process (on the first copy of the corpus, scaled to the
  whole by size) and with the importer's own process pool (`documents.read_documents`);
- writing the rows the import produced with plain `sqlite3` `executemany`, into an empty
  copy of the app's tables, in one transaction: what the database itself costs.
"""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .corpus import Corpus
from .processes import PYTHON, Measured, manage, production_env, run_measured
from .report import Results

GROUP = "import"
IMPORT_TARGET_SECONDS = 30
IMPORT_TARGET_RATIO = 3
REIMPORT_TARGET_SECONDS = 5
MEMORY_TARGET_BYTES = 1e9
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
# Parents before children, though the app's foreign keys are checked only at commit.
TABLE_ORDER = ["channel", "episode", "article", "section", "claim", "timestamp", "link"]
_SUMMARY = re.compile(
    r"imported (\d+) articles \((\d+) episodes, (\d+) claims, (\d+) timestamps\); "
    r"(\d+) unchanged; (\d+) warnings; (\d+) failed"
)


@dataclass
class ImportRun:
    measured: Measured
    articles: int = 0
    claims: int = 0
    unchanged: int = 0
    failed: int = 0

    @classmethod
    def of(cls, measured: Measured) -> ImportRun:
        found = _SUMMARY.search(measured.stdout)
        if not found:
            raise RuntimeError(
                f"import_seeds gave no summary (exit {measured.returncode}):\n"
                f"{measured.stdout[-2000:]}\n{measured.stderr[-2000:]}"
            )
        articles, _, claims, _, unchanged, _, failed = map(int, found.groups())
        return cls(measured, articles, claims, unchanged, failed)


def measure_parsing(corpus: Corpus, results: Results) -> float:
    """The two parser baselines; returns the pool's seconds for the whole corpus."""
    from apps.ingest.pool import read_document, read_documents

    from .corpus import source_files

    sample = source_files(corpus.folder / "copy01")
    sample_bytes = sum(path.stat().st_size for path in sample)
    started = time.perf_counter()
    for path in sample:
        read_document(path)
    one_process = (time.perf_counter() - started) * corpus.bytes / sample_bytes
    results.add(
        GROUP,
        "baseline: read + parse, 1 process",
        one_process,
        "s",
        note=(
            f"{corpus.megabytes / one_process:.2f} MB/s; measured on the first copy "
            f"({len(sample):,} documents, {sample_bytes / 1e6:.0f} MB), scaled by size"
        ),
    )

    files = source_files(corpus.folder)
    started = time.perf_counter()
    for _ in read_documents(files, frozenset()):
        pass
    pool = time.perf_counter() - started
    results.add(
        GROUP,
        "baseline: read + parse, importer's process pool",
        pool,
        "s",
        note=f"{corpus.megabytes / pool:.2f} MB/s over {len(files):,} documents",
    )
    return pool


def measure_sqlite(corpus: Corpus, scratch: Path, results: Results, parse_seconds: float) -> Path:
    """Import into a fresh SQLite file, re-import, then the executemany baseline.

    Returns the database, which the page benchmarks then read.
    """
    database = scratch / "bench.sqlite3"
    env = production_env(f"sqlite:///{database}")
    manage(env, "migrate", "--noinput")
    first = _import(corpus, env)
    again = _import(corpus, env)
    write_seconds = executemany_baseline(database, scratch / "executemany.sqlite3")
    results.add(
        GROUP,
        "baseline: sqlite3 executemany of the same rows",
        write_seconds,
        "s",
        note="one transaction, the app's tables and indexes",
    )
    _report(results, "SQLite", corpus, first, again, baseline=parse_seconds + write_seconds)
    return database


def measure_postgres(corpus: Corpus, results: Results) -> None:
    try:
        import psycopg

        admin = psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except Exception as error:  # any failure to reach the server skips these rows
        results.skip(GROUP, "PostgreSQL import", f"no PostgreSQL at {POSTGRES_SERVER} ({error})")
        return
    name = f"seeknotes_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = production_env(f"{POSTGRES_SERVER}/{name}")
        manage(env, "migrate", "--noinput")
        first = _import(corpus, env)
        again = _import(corpus, env)
        _report(results, "PostgreSQL", corpus, first, again, baseline=None)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _import(corpus: Corpus, env: dict[str, str]) -> ImportRun:
    return ImportRun.of(
        run_measured([str(PYTHON), "manage.py", "import_seeds", str(corpus.folder)], env)
    )


def _report(
    results: Results,
    database: str,
    corpus: Corpus,
    first: ImportRun,
    again: ImportRun,
    baseline: float | None,
) -> None:
    seconds = first.measured.seconds
    fast_enough = seconds <= IMPORT_TARGET_SECONDS
    if baseline is not None:
        fast_enough = fast_enough and seconds <= IMPORT_TARGET_RATIO * baseline
    results.add(
        GROUP,
        f"{database}, full import",
        seconds,
        "s",
        baseline=baseline,
        baseline_name="parse (pool) + executemany" if baseline else "",
        target=(
            f"≤ {IMPORT_TARGET_SECONDS} s, ≤ {IMPORT_TARGET_RATIO}x baseline" if baseline else ""
        ),
        met=fast_enough if baseline is not None else None,
        note=(
            f"{corpus.files:,} documents, {corpus.megabytes:.0f} MB: {first.articles:,} articles, "
            f"{first.claims:,} claims, {first.failed} failed"
        ),
    )
    results.add(GROUP, f"{database}, documents/s", corpus.files / seconds, "docs/s")
    results.add(GROUP, f"{database}, MB/s", corpus.megabytes / seconds, "MB/s")
    peak = first.measured.peak_tree_bytes
    results.add(
        GROUP,
        f"{database}, peak memory",
        peak,
        "MB",
        target="≤ 1000 MB",
        met=peak <= MEMORY_TARGET_BYTES,
        note=(
            f"sum over the command and its parsing workers; the command alone peaked at "
            f"{first.measured.peak_main_bytes / 1e6:.0f} MB"
        ),
    )
    results.add(
        GROUP,
        f"{database}, re-import unchanged",
        again.measured.seconds,
        "s",
        target=f"≤ {REIMPORT_TARGET_SECONDS} s",
        met=again.measured.seconds <= REIMPORT_TARGET_SECONDS,
        note=f"{again.unchanged:,} unchanged, {again.articles} imported again",
    )


def executemany_baseline(source: Path, target: Path) -> float:
    """Seconds to write `source`'s content tables into an empty copy of their schema."""
    reader = sqlite3.connect(source)
    tables = [
        name
        for (name,) in reader.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'episodes\\_%' "
            "ESCAPE '\\'"
        )
    ]
    tables.sort(key=lambda name: _table_rank(name))
    schema = [
        sql
        for (sql,) in reader.execute(
            f"SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY type = 'index'",
            tables,
        )
    ]
    # Tables the content refers to but the import does not write (an episode added by a
    # member names its account): there, empty, so that the foreign keys can be checked.
    referred = {
        parent
        for table in tables
        for (_, _, parent, *_rest) in reader.execute(f'PRAGMA foreign_key_list("{table}")')
        if parent not in tables
    }
    schema[:0] = [
        sql
        for (sql,) in reader.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'table' "
            f"AND name IN ({', '.join('?' * len(referred))})",
            sorted(referred),
        )
    ]
    target.unlink(missing_ok=True)
    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA synchronous=NORMAL")
    writer.execute("PRAGMA foreign_keys=ON")
    for sql in schema:
        writer.execute(sql)
    elapsed = 0.0
    started = time.perf_counter()
    writer.execute("BEGIN")
    elapsed += time.perf_counter() - started
    for table in tables:
        cursor = reader.execute(f'SELECT * FROM "{table}"')
        columns = ", ".join(f'"{d[0]}"' for d in cursor.description)
        insert = (
            f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(cursor.description))})'
        )
        while rows := cursor.fetchmany(20_000):
            started = time.perf_counter()
            writer.executemany(insert, rows)
            elapsed += time.perf_counter() - started
    started = time.perf_counter()
    writer.execute("COMMIT")
    elapsed += time.perf_counter() - started
    writer.close()
    reader.close()
    return elapsed


def _table_rank(name: str) -> int:
    short = name.removeprefix("episodes_")
    return TABLE_ORDER.index(short) if short in TABLE_ORDER else len(TABLE_ORDER)

"""Eight people writing fifty notes each at the same moment: 400 rows, no error.

SQLite is configured for concurrent writers (WAL, BEGIN IMMEDIATE, a busy timeout); this
proves it on a real database file, in a separate process because the suite's own SQLite
database is in memory. On PostgreSQL (DATABASE_URL pointing at one) the same writers run
in-process against the test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .concurrent_writers import (
    NOTES_PER_THREAD,
    ROUNDS,
    THREADS,
    patch_concurrently,
    write_concurrently,
)

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_PER_AUTHOR = {f"writer{i}": NOTES_PER_THREAD for i in range(THREADS)}


def test_eight_threads_write_400_notes_to_a_file_based_sqlite_database(tmp_path) -> None:
    database = tmp_path / "concurrent.sqlite3"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {"DATABASE_URL": f"sqlite:///{database}", "PYTHONDONTWRITEBYTECODE": "1"}

    result = subprocess.run(
        [sys.executable, "-m", "tests.annotations.concurrent_writers"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert (report["vendor"], report["journal_mode"]) == ("sqlite", "wal")
    assert report["rows"] == report["distinct_bodies"] == THREADS * NOTES_PER_THREAD == 400
    assert report["per_author"] == EXPECTED_PER_AUTHOR
    assert database.exists()


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql", "pgsql"},
    reason="DATABASE_URL does not point at PostgreSQL",
)
def test_eight_threads_write_400_notes_to_postgresql(transactional_db) -> None:
    assert connection.vendor == "postgresql"

    report = write_concurrently()

    assert report["errors"] == []
    assert report["rows"] == report["distinct_bodies"] == THREADS * NOTES_PER_THREAD == 400
    assert report["per_author"] == EXPECTED_PER_AUTHOR


def _is_private_and_indexed_once(round_: dict) -> bool:
    return (
        not round_["private_found"]
        and round_["rows"] == 1
        and round_["indexed_public"] == [round_["visibility"] == "public"]
    )


def test_overlapping_edits_leave_one_true_search_row_on_sqlite(tmp_path) -> None:
    """A body edit racing a switch to private: anonymous search never finds the note."""
    database = tmp_path / "patches.sqlite3"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment |= {"DATABASE_URL": f"sqlite:///{database}", "PYTHONDONTWRITEBYTECODE": "1"}

    result = subprocess.run(
        [sys.executable, "-m", "tests.annotations.concurrent_writers", "patch"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert len(report["rounds"]) == ROUNDS
    assert [r for r in report["rounds"] if not _is_private_and_indexed_once(r)] == []


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql", "pgsql"},
    reason="DATABASE_URL does not point at PostgreSQL",
)
def test_overlapping_edits_leave_one_true_search_row_on_postgresql(transactional_db) -> None:
    report = patch_concurrently()

    assert report["errors"] == []
    assert len(report["rounds"]) == ROUNDS
    assert [r for r in report["rounds"] if not _is_private_and_indexed_once(r)] == []

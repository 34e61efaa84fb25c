"""Reading seed files from disk into parsed documents, on every core. Pure: no Django import.

The importer consumes `read_documents(files, known_hashes)` in file order while worker
processes read and parse the files ahead of it, so parsing and writing overlap.
"""

from __future__ import annotations

import collections
import gc
import hashlib
import itertools
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from apps.reader import (
    DocumentError,
    ParsedArticle,
    ParsedChannelIndex,
    ParsedDirectory,
    PreparedArticle,
    parse_document,
    prepare_article,
)

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM_FILES = 200
WORKERS_MAX = 8
FILES_PER_TASK = 16
TASKS_AHEAD = 8  # per worker
# Objects allocated between two collections of the youngest generation, while results arrive.
YOUNG_COLLECTION_THRESHOLD = 50_000


@dataclass(slots=True)
class ReadDocument:
    """One file as read and parsed, away from the database (possibly in another process).

    An article comes already flattened into rows (`prepared.py`).
    """

    display_path: str
    digest: str = ""
    parsed: PreparedArticle | ParsedChannelIndex | ParsedDirectory | None = None
    error: str | None = None  # "path:line: message" when the file cannot be imported
    unchanged: bool = False  # its SHA-256 was already imported: not parsed


def read_document(path: Path, known_hashes: frozenset[str] = frozenset()) -> ReadDocument:
    display = str(path)
    document = ReadDocument(display)
    try:
        raw = path.read_bytes()
    except OSError as error:
        document.error = f"{display}:1: cannot be read ({error.strerror})"
        return document
    document.digest = hashlib.sha256(raw).hexdigest()
    if document.digest in known_hashes:
        document.unchanged = True
        return document
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        document.error = f"{display}:{line}: not UTF-8 text ({error.reason})"
        return document
    try:
        parsed = parse_document(text, path=display)
        document.parsed = prepare_article(parsed) if isinstance(parsed, ParsedArticle) else parsed
    except DocumentError as error:
        document.error = f"{display}:{error.line}: {error.message}"
    except Exception as error:  # a reader bug must cost one file, not the whole run
        document.error = (
            f"{display}:1: the reader failed on this file ({type(error).__name__}: {error}); "
            "please report it"
        )
    return document


def read_documents(files: list[Path], known_hashes: frozenset[str]) -> Iterator[ReadDocument]:
    """Every file read and parsed, in order; with many files, in worker processes."""
    workers = min(os.cpu_count() or 1, WORKERS_MAX)
    if len(files) < PARALLEL_FROM_FILES or workers < 2:
        for path in files:
            yield read_document(path, known_hashes)
        return
    # "spawn", not "fork": a forked child would share the caller's database connection.
    context = multiprocessing.get_context("spawn")
    with (
        _fewer_collections(),
        ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_remember_known_hashes,
            initargs=(known_hashes,),
        ) as pool,
    ):
        # At most TASKS_AHEAD tasks in flight: parsing outruns writing, and results nobody
        # reads yet would otherwise pile up until the whole corpus sat in memory.
        tasks = (
            files[start : start + FILES_PER_TASK] for start in range(0, len(files), FILES_PER_TASK)
        )
        pending = collections.deque(
            pool.submit(_read_in_worker, task)
            for task in itertools.islice(tasks, TASKS_AHEAD * workers)
        )
        while pending:
            documents = pending.popleft().result()
            if (task := next(tasks, None)) is not None:
                pending.append(pool.submit(_read_in_worker, task))
            yield from documents


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Unpickled results are millions of small rows that live until their file is written:
    collecting young objects every few hundred allocations would only rescan them."""
    threshold = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


_worker_known_hashes: frozenset[str] = frozenset()


def _remember_known_hashes(known_hashes: frozenset[str]) -> None:
    # Sent once per worker rather than with every task.
    global _worker_known_hashes
    _worker_known_hashes = known_hashes


def _read_in_worker(paths: list[Path]) -> list[ReadDocument]:
    return [read_document(path, _worker_known_hashes) for path in paths]

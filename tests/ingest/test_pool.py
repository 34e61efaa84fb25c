"""Seed files read and parsed in worker processes, ahead of the writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from .seed_files import write


def test_files_read_by_worker_processes_come_back_in_order_and_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.ingest import pool as documents

    count = documents.PARALLEL_FROM_FILES + 37
    files = [
        write(
            tmp_path,
            f"{number:03}.md",
            f"---\ntitle: Article {number}\nvideoId: video{number:06}\n---\n\n"
            f'- Claim {number} <a class="yt-timestamp" data-t="00:00:{number % 60:02}">[x]</a>\n',
        )
        for number in range(count)
    ]
    monkeypatch.setattr(documents, "TASKS_AHEAD", 1)  # refill the pool task by task
    monkeypatch.setattr(documents.os, "cpu_count", lambda: 2)

    read = list(documents.read_documents(files, frozenset()))

    assert [document.display_path for document in read] == [str(path) for path in files]
    assert [document.parsed.title for document in read] == [f"Article {n}" for n in range(count)]
    [(section, parent, kind, label, text, *_)] = read[61].parsed.claims
    assert (section, parent, kind, label, text) == (0, None, "item", "", "Claim 61")
    assert [(claim, seconds) for claim, seconds, *_ in read[61].parsed.timestamps] == [(0, 1)]

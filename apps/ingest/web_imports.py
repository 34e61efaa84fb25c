"""Documents uploaded through the site, imported by a background task (django-tasks).

`start_web_import` checks the upload (`uploads.py`) and refuses it whole or stores it and
queues `run_web_import`, which any worker runs: on the database queue (`manage.py db_worker`)
or, with REDIS_URL, on Redis (`manage.py rqworker default`). The task unpacks the archive to a
temporary folder, runs the same import as `manage.py import_seeds` over it, and writes its
progress as each commit lands, then the command's report.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone
from django_tasks import task

from apps.episodes.models import Article
from apps.ingest.importer import ImportReport, find_seed_files, import_paths, iter_report_lines
from apps.ingest.models import WebImport
from apps.ingest.uploads import (
    Uploaded,
    UploadLimits,
    UploadRefused,
    bundle_uploads,
    unpack_documents,
)

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "ingest.import_documents"
# Small commits, so that the page's progress bar moves: it sees each one as it lands.
FILES_PER_COMMIT = 10


def may_import(user: AbstractBaseUser) -> bool:
    """Staff import by default; anyone else needs the "import documents" permission."""
    return bool(user.is_authenticated and (user.is_staff or user.has_perm(IMPORT_PERMISSION)))


def start_web_import(owner: AbstractBaseUser, uploads: list[Uploaded]) -> WebImport:
    """The import of `uploads`, queued; `UploadRefused` (nothing written) if they cannot be."""
    archive = bundle_uploads(uploads, UploadLimits.from_settings())
    names = ", ".join(upload.name for upload in uploads)
    web_import = WebImport.objects.create(
        owner=owner, name=names[:300], upload=archive, status=WebImport.Status.QUEUED
    )
    # Queued once the row is committed, or a quick worker would not find it.
    transaction.on_commit(lambda: _enqueue(web_import))
    return web_import


def _enqueue(web_import: WebImport) -> None:
    result = run_web_import.enqueue(web_import.pk)
    WebImport.objects.filter(pk=web_import.pk).update(task_id=str(result.id)[:64])


@task()
def run_web_import(web_import_id: int) -> str:
    """Unpack and import one upload; returns its summary line."""
    web_import = WebImport.objects.get(pk=web_import_id)
    if web_import.ended:  # a queue that delivers a task twice imports it once
        return web_import.summary
    WebImport.objects.filter(pk=web_import_id).update(
        status=WebImport.Status.RUNNING, started=timezone.now()
    )
    try:
        with tempfile.TemporaryDirectory(prefix="seeknotes-import-") as folder:
            report = _import_unpacked(web_import, Path(folder))
    except UploadRefused as refused:
        _end(web_import_id, failure=str(refused))
        return str(refused)
    except Exception as error:
        logger.exception("Web import %s failed", web_import_id)
        _end(web_import_id, failure=f"The import stopped on an error ({type(error).__name__}).")
        raise
    _end(
        web_import_id,
        summary=report.summary(),
        report="\n".join(_relative(line, folder) for line in iter_report_lines(report)),
    )
    return report.summary()


def _import_unpacked(web_import: WebImport, folder: Path) -> ImportReport:
    unpack_documents(bytes(web_import.upload), folder, UploadLimits.from_settings())
    total = len(find_seed_files([folder], ImportReport()))
    WebImport.objects.filter(pk=web_import.pk).update(files_total=total)
    report = import_paths(
        [folder], on_progress=ProgressWriter(web_import.pk), files_per_commit=FILES_PER_COMMIT
    )
    # Each article names its file as inside the upload, not in the worker's temporary folder
    # (shown to no reader: the admin's source path, like the command's).
    prefix = f"{folder}/"
    Article.objects.filter(source_path__startswith=prefix).update(
        source_path=Substr("source_path", len(prefix) + 1)
    )
    return report


def _end(web_import_id: int, **fields: str) -> None:
    status = WebImport.Status.FAILED if fields.get("failure") else WebImport.Status.DONE
    changed = {"status": status, "finished": timezone.now(), "upload": b"", **fields}
    if status == WebImport.Status.DONE:
        changed["files_done"] = F("files_total")
    WebImport.objects.filter(pk=web_import_id).update(**changed)


def _relative(line: str, folder: str) -> str:
    """A report line's path as inside the upload, not the worker's temporary folder."""
    return line.replace(f"{folder}/", "", 1)


class ProgressWriter:
    """The importer's progress callback: the latest count written once each commit lands.

    The importer calls it inside its transaction, where a write would be seen by nobody
    until the commit (and on SQLite a second connection would wait on the import's lock).
    """

    def __init__(self, web_import_id: int) -> None:
        self.web_import_id = web_import_id
        self.latest: tuple[int, int, float] = (0, 0, 0.0)
        self.waiting = False

    def __call__(self, done: int, total: int, rate: float) -> None:
        self.latest = (done, total, rate)
        if not self.waiting:
            self.waiting = True
            transaction.on_commit(self.write)

    def write(self) -> None:
        self.waiting = False
        done, total, rate = self.latest
        WebImport.objects.filter(pk=self.web_import_id).update(
            files_done=done, files_total=total, files_per_second=round(rate, 2)
        )

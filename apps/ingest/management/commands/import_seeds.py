"""`manage.py import_seeds [PATH ...]`: import seed documents (files or folders)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest.importer import import_paths, iter_report_lines


class Command(BaseCommand):
    help = "Import seed documents (.md/.txt files, or folders searched recursively)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default seeds/)")

    def handle(self, *args, paths: list[Path], **options) -> None:
        show_progress = self.stdout.isatty() and options["verbosity"] >= 1

        def progress(done: int, total: int, rate: float) -> None:
            self.stdout.write(f"\r{done}/{total} files, {rate:.0f}/s", ending="")
            self.stdout.flush()

        report = import_paths(
            paths or [settings.SEEDS_DIR], on_progress=progress if show_progress else None
        )
        if show_progress:
            self.stdout.write("")
        for line in iter_report_lines(report):
            self.stderr.write(line)
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} file(s) could not be imported", returncode=1)

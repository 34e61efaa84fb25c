"""`manage.py resolve_links`: key and resolve every link again, e.g. after a migration."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.ingest.links import relink_everything


class Command(BaseCommand):
    help = "Recompute link keys and point every link at the article it names."

    def handle(self, *args, **options) -> None:
        report = relink_everything()
        self.stdout.write(
            f"{report.rekeyed} keys updated; {report.resolved} of {report.links} links resolve"
        )

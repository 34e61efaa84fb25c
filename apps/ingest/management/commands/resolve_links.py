"""`manage.py resolve_links`: key and resolve every link again, e.g. after a migration."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.episodes.links import rekey_links, resolve_links
from apps.episodes.models import ContentVersion, Link


class Command(BaseCommand):
    help = "Recompute link keys and point every link at the article it names."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            rekeyed = rekey_links()
            resolve_links()
            # UPDATEs send no signals: pages kept with the old links must go.
            ContentVersion.bump()
        resolved = Link.objects.filter(target_article__isnull=False).count()
        self.stdout.write(
            f"{rekeyed} keys updated; {resolved} of {Link.objects.count()} links resolve"
        )

from django.core.management.base import BaseCommand

from apps.search.indexing import rebuild_index


class Command(BaseCommand):
    help = "Index every claim and note again (imports and note writes keep it in step)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"indexed {rebuild_index()} documents")

"""Many people writing notes at once, through the service layer, each thread on its own
database connection as it would be under a threaded server.

Imported by test_concurrency.py, and run as a script against a fresh file-based SQLite
database (the test suite's own SQLite database lives in memory, where WAL does not apply):

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.annotations.concurrent_writers

prints one JSON object: rows written, errors, and the database's journal mode.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

THREADS = 8
NOTES_PER_THREAD = 50


def write_concurrently(threads: int = THREADS, per_thread: int = NOTES_PER_THREAD) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection, connections

    from apps.annotations.models import Annotation
    from apps.annotations.services import annotation_create
    from tests.episodes.factories import make_article, make_claim, make_episode

    episode = make_episode(title="Written by many at once")
    article = make_article(episode)
    claims = [make_claim(article, text=f"Claim {i}", seconds=[i * 30]) for i in range(5)]
    authors = [User.objects.create_user(f"writer{i}") for i in range(threads)]
    start = threading.Barrier(threads)
    errors: list[str] = []

    def write(number: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                # Half on a claim, half "now": both paths read before they write.
                on_claim = i % 2 == 0
                annotation_create(
                    author=authors[number],
                    episode=episode,
                    claim=claims[i % len(claims)] if on_claim else None,
                    seconds=None if on_claim else i * 7,
                    body=f"writer {number} note {i}",
                    visibility="public" if i % 3 == 0 else "private",
                )
        except Exception as error:  # every failure is the finding, whatever its kind
            errors.append(f"writer {number}: {error!r}")
        finally:
            connections.close_all()

    began = time.perf_counter()
    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - began

    notes = Annotation.objects.filter(episode=episode)
    per_author = sorted(notes.values_list("author__username", flat=True))
    journal_mode = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    return {
        "vendor": connection.vendor,
        "journal_mode": journal_mode,
        "rows": notes.count(),
        "distinct_bodies": notes.values("body").distinct().count(),
        "per_author": {name: per_author.count(name) for name in sorted(set(per_author))},
        "errors": errors,
        "seconds": round(seconds, 2),
    }


def main() -> None:
    # The suite's settings, as in the test that runs this: the database settings are the
    # product's own, and the throwaway secret key is the tests'.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if sys.argv[1:] == ["patch"]:
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host
        print(json.dumps(patch_concurrently()))
    else:
        print(json.dumps(write_concurrently()))


ROUNDS = 20


def patch_concurrently(rounds: int = ROUNDS) -> dict:
    """Two edits of one note at the same moment, `rounds` times over, as two PATCHes would.

    Each round a body edit races a switch to private, then a switch to public races a switch
    to private. Reported per round: the note's visibility, whether the index calls it public,
    how many search rows it has, and whether anonymous search finds the body written.
    """
    from django.contrib.auth.models import User
    from django.test import Client

    from apps.annotations.models import Annotation
    from apps.annotations.services import annotation_update
    from apps.search.models import SearchDocument
    from tests.episodes.factories import make_article, make_claim, make_episode

    episode = make_episode(title="Edited twice at once")
    make_claim(make_article(episode), text="A claim", seconds=[0])
    author = User.objects.create_user("editor")
    note = Annotation.objects.create(
        author=author, episode=episode, seconds=0, body="opening words", visibility="public"
    )
    anonymous = Client()
    errors: list[str] = []
    report = []
    for number in range(rounds):
        annotation_update(annotation=_fresh(note), actor=author, visibility="public")
        # Searched by its first word; the second is in no query the pages echo back.
        secret, unseen = f"whisper{number}x", f"hidden{number}y"
        _race(
            errors,
            lambda body=f"{secret} {unseen}": annotation_update(
                annotation=_fresh(note), actor=author, body=body
            ),
            lambda: annotation_update(annotation=_fresh(note), actor=author, visibility="private"),
        )
        found = (
            unseen in anonymous.get("/search/", {"q": secret}).content.decode()
            or unseen in anonymous.get("/api/search", {"q": secret}).content.decode()
        )
        _race(
            errors,
            lambda: annotation_update(annotation=_fresh(note), actor=author, visibility="public"),
            lambda: annotation_update(annotation=_fresh(note), actor=author, visibility="private"),
        )
        documents = SearchDocument.objects.filter(annotation_id=note.pk)
        report.append(
            {
                "private_found": found,
                "visibility": _fresh(note).visibility,
                "indexed_public": sorted(documents.values_list("public", flat=True)),
                "rows": documents.count(),
            }
        )
    return {"rounds": report, "errors": errors}


def _fresh(note):
    # As each request reads it: its own instance, loaded before it writes.
    return type(note).objects.get(pk=note.pk)


def _race(errors: list[str], *writers) -> None:
    from django.db import connections

    start = threading.Barrier(len(writers))

    def run(write) -> None:
        try:
            start.wait()
            write()
        except Exception as error:  # every failure is the finding, whatever its kind
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(write,)) for write in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()

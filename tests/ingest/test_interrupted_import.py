"""An import killed part way (`kill -9`) leaves nothing served stale, and the next run, even one
with nothing new to write, finishes what it left: search documents, links, the version.

The import runs as a real `manage.py import_seeds` process on the test's database, and is
killed once its first transaction of files is committed. The pages are served by the test
client, whose process keeps pages as a server's would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.test import Client

from apps.episodes.models import Article, Claim, ContentVersion, Link
from apps.ingest.importer import FILES_PER_COMMIT, import_paths
from apps.search.models import SearchDocument

from .seed_files import write

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
WATCHED = "WATCHEDxxxx"
TARGET = "TARGETxxxxx"
# Enough files for several transactions, so that the import is still running when the first
# one is committed and it is killed.
GENERATED = FILES_PER_COMMIT * 4


def watched_document(words: str) -> str:
    return (
        f"---\ntitle: Watched article\nvideoId: {WATCHED}\n---\nFrom: [[generated]]\n\n"
        f"* First claim: {words} <a class='yt-timestamp' data-t='00:00:10'>[00:00:10]</a>.\n"
        f"* Second claim: more {words}, see [[target_article]].\n"
    )


def generated_document(number: int) -> str:
    return (
        f"---\ntitle: Generated {number}\nvideoId: G{number:010d}\n---\nFrom: [[generated]]\n\n"
        f"* Generated claim {number} about quokkas, see [[target_article]].\n"
        f"* Another claim {number} <a class='yt-timestamp' data-t='00:01:{number % 60:02d}'>"
        f"[00:01:{number % 60:02d}]</a>.\n"
    )


TARGET_DOCUMENT = (
    f"---\ntitle: Target article\nvideoId: {TARGET}\n---\nFrom: [[generated]]\n\n"
    "* The article every other one links to.\n"
)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """The test database, as another process reaches it.

    PostgreSQL's test database is one by name. SQLite's lives in this process's memory, so
    the test gets a database file instead, for as long as it runs.
    """
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        user = quote(settings["USER"] or "")
        password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
        yield (
            f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}"
        )
        return
    in_memory = connections["default"]
    database = tmp_path / "shared.sqlite3"
    # The in-memory database goes when its connection closes, so it is set aside, not closed.
    connections["default"] = SQLiteDatabaseWrapper(
        {**in_memory.settings_dict, "NAME": str(database)}, "default"
    )
    try:
        call_command("migrate", verbosity=0)
        yield f"sqlite:///{database}"
    finally:
        connections["default"].close()
        connections["default"] = in_memory


def import_command(*paths: Path) -> list[str]:
    return [sys.executable, "manage.py", "import_seeds", *map(str, paths)]


def command_environment(database_url: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return environment | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def import_killed_after_first_commit(database_url: str, folder: Path) -> None:
    """Run the import in its own process group, and kill it (workers and all) with SIGKILL
    as soon as its first transaction of files is visible."""
    articles_before = Article.objects.count()
    importer = subprocess.Popen(
        import_command(folder),
        cwd=ROOT,
        env=command_environment(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        while Article.objects.count() == articles_before:
            assert importer.poll() is None, importer.stderr.read().decode()
            time.sleep(0.02)
    finally:
        os.killpg(importer.pid, signal.SIGKILL)
        importer.wait()
        importer.stderr.close()


def served_claims(client: Client) -> tuple[str, list[tuple[int, str]]]:
    """The episode page's HTML, and the claims its JSON gives."""
    page = client.get(f"/episodes/{WATCHED}/").content.decode()
    answer = client.get(f"/api/episodes/{WATCHED}").json()
    claims = [
        (claim["id"], claim["text"])
        for article in answer["articles"]
        for section in article["sections"]
        for claim in section["claims"]
    ]
    return page, claims


def committed_claims() -> list[tuple[int, str]]:
    return list(
        Claim.objects.filter(article__episode__video_id=WATCHED)
        .order_by("position")
        .values_list("pk", "text")
    )


def run_import(database_url: str, *paths: Path) -> str:
    """Import as an operator does, to the end; the summary line."""
    done = subprocess.run(
        import_command(*paths),
        cwd=ROOT,
        env=command_environment(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_a_killed_import_serves_what_it_committed_and_the_next_run_finishes_it(
    database_url: str, tmp_path: Path
) -> None:
    seeds = tmp_path / "seeds"
    write(seeds, "target.md", TARGET_DOCUMENT)
    watched = write(seeds, "a-watched.md", watched_document("old alpacas"))
    assert import_paths([seeds]).articles == 2
    client = Client()
    page, claims = served_claims(client)  # now kept, as every server would keep it
    assert "old alpacas" in page and claims[0][1] == "First claim: old alpacas."
    old_ids = [pk for pk, _ in claims]
    version_before = ContentVersion.current()
    watched.write_text(watched_document("new zebras"), encoding="utf-8")
    for number in range(GENERATED):
        write(seeds, f"g-{number:05d}.md", generated_document(number))

    import_killed_after_first_commit(database_url, seeds)

    new_articles = Article.objects.count() - 2
    assert 0 < new_articles < GENERATED  # killed part way
    committed = committed_claims()
    assert [text for _, text in committed] == [
        "First claim: new zebras.",
        "Second claim: more new zebras, see target_article.",
    ]
    assert not {pk for pk, _ in committed} & set(old_ids)
    page, claims = served_claims(client)
    assert claims == committed
    assert "new zebras" in page and "old alpacas" not in page
    assert [f'data-claim-id="{pk}"' in page for pk, _ in committed] == [True, True]
    assert [f'data-claim-id="{pk}"' in page for pk in old_ids] == [False, False]
    assert ContentVersion.current() > version_before
    # What the killed run was to do once every file was written, it never did.
    written = Article.objects.exclude(episode__video_id=TARGET)
    assert SearchDocument.objects.filter(article__in=written).count() == 0
    assert Link.objects.filter(article__in=written, target_article=None).count() > 0
    version_killed = ContentVersion.current()

    summary = run_import(database_url, watched)  # nothing new in it

    assert summary == (
        "imported 0 articles (0 episodes, 0 claims, 0 timestamps); 1 unchanged; 0 warnings; "
        f"0 failed; finished {new_articles + 1} articles an interrupted import left"
    )
    claims_written = Claim.objects.filter(article__in=written)
    assert SearchDocument.objects.filter(article__in=written).count() == claims_written.count()
    found = client.get("/api/search", {"q": "zebras"}).json()
    assert sorted(hit["id"] for hit in found["items"]) == [pk for pk, _ in committed]
    target = Article.objects.get(episode__video_id=TARGET)
    links = Link.objects.filter(article__in=written).values_list("target_article", flat=True)
    assert list(links) == [target.pk] * (new_articles + 1)
    assert ContentVersion.current() > version_killed
    page, claims = served_claims(client)
    assert claims == committed
    assert f'href="/episodes/{TARGET}/' in page  # the link reaches its article now
    # Finished: the run after finds nothing left, and changes nothing.
    version_finished = ContentVersion.current()
    assert run_import(database_url, watched).endswith("; 0 failed")
    assert ContentVersion.current() == version_finished

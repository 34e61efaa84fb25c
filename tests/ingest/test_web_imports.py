"""Importing documents through the web: permission, upload, the background task, progress and
report, on the page and through /api/imports.

The queue is chosen by the environment, as in production: embedded (django-tasks' database
backend) by default, Redis (RQ) when REDIS_URL is set. CI runs this file once each way:
    .venv/bin/pytest tests/ingest/test_web_imports.py
    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/pytest tests/ingest/test_web_imports.py
Most tests run the task at once (django-tasks' immediate backend); `test_a_real_worker_...`
queues it on the configured backend and runs that backend's own worker command.
"""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from apps.accounts.tokens import api_token_create
from apps.episodes.models import Article, Episode
from apps.ingest import web_imports
from apps.ingest.models import WebImport
from tests.annotations.factories import make_user
from tests.ingest.seed_files import document

pytestmark = pytest.mark.django_db

_tokens = itertools.count(1)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def zipped(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CHANNEL = {
    "veritasium/one.md": document("One", "AAAAAAAAAAA", "Veritasium", "First claim"),
    "veritasium/two.md": document("Two", "BBBBBBBBBBB", "Veritasium", "Second claim"),
    "veritasium/latin1.md": "---\ntitle: Caf\xe9\n".encode("latin-1"),
    "veritasium/README.md": "# not a document",
    "veritasium/cover.png": b"\x89PNG",
}
SUMMARY = (
    "imported 2 articles (2 episodes, 2 claims, 0 timestamps); 0 unchanged; 0 warnings; 1 failed"
)


@pytest.fixture
def capture_on_commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def make_staff():
    person = make_user()
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    return person


@pytest.fixture
def importer(db):
    return make_staff()


def staff_token(user) -> dict[str, str]:
    _, key = api_token_create(user=user, name=f"imports-{next(_tokens)}")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def upload_zip(client: Client, data: bytes, headers: dict, name: str = "veritasium.zip"):
    return client.post(
        "/api/imports", {"files": SimpleUploadedFile(name, data, "application/zip")}, **headers
    )


def test_staff_upload_a_channel_zip_and_get_the_command_s_report(
    client, importer, immediate, capture_on_commit
):
    with capture_on_commit(execute=True):
        response = upload_zip(client, zipped(CHANNEL), staff_token(importer))
    assert response.status_code == 202
    started = response.json()
    assert (started["status"], started["name"]) == ("queued", "veritasium.zip")
    status = client.get(f"/api/imports/{started['id']}", **staff_token(importer)).json()
    assert status["status"] == "done"
    assert status["summary"] == SUMMARY
    assert status["report"] == [
        "veritasium/latin1.md:2: not UTF-8 text (invalid continuation byte)"
    ]
    assert status["progress"] | {"files_per_second": 0} == {
        "files_done": 3,
        "files_total": 3,
        "percent": 100,
        "files_per_second": 0,
        "seconds_left": None,
    }
    assert status["failure"] == ""
    assert status["url"] == f"http://testserver/imports/{started['id']}/"
    assert set(Episode.objects.values_list("video_id", flat=True)) == {"AAAAAAAAAAA", "BBBBBBBBBBB"}
    # The upload is not kept once imported.
    assert bytes(WebImport.objects.get().upload) == b""


def test_md_and_txt_files_upload_as_they_are(client, importer, immediate, capture_on_commit):
    files = [
        SimpleUploadedFile("one.md", CHANNEL["veritasium/one.md"].encode()),
        SimpleUploadedFile("two.txt", CHANNEL["veritasium/two.md"].encode()),
    ]
    with capture_on_commit(execute=True):
        response = client.post("/api/imports", {"files": files}, **staff_token(importer))
    assert response.status_code == 202
    web_import = WebImport.objects.get()
    assert (web_import.status, web_import.name) == ("done", "one.md, two.txt")
    assert sorted(Article.objects.values_list("source_path", flat=True)) == ["one.md", "two.txt"]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../evil.md": "x", "ok.md": "x"}, "../evil.md: a path outside the archive's folder."),
        (
            {"a/b/../../../evil.md": "x"},
            "a/b/../../../evil.md: a path outside the archive's folder.",
        ),
        ({"bomb.md": b"\0" * 3_000_000}, "The archive unpacks to 3 MB; at most 1 MB."),
    ],
)
def test_a_hostile_archive_is_refused_with_nothing_written(
    client, importer, immediate, members, message, settings
):
    settings.SEEKNOTES_IMPORT_MAX_UNPACKED_BYTES = 1_000_000
    response = upload_zip(client, zipped(members), staff_token(importer))
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"loc": ["body", "files"], "msg": message, "type": "refused"}]
    }
    assert not WebImport.objects.exists()
    assert not Episode.objects.exists()


def test_too_many_files_are_refused(client, importer, immediate, settings):
    settings.SEEKNOTES_IMPORT_MAX_FILES = 3
    response = upload_zip(client, zipped({f"{n}.md": "x" for n in range(4)}), staff_token(importer))
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "The archive holds 4 files; at most 3."


def test_an_upload_too_large_is_refused_before_it_is_read(client, importer):
    headers = staff_token(importer)
    response = client.generic(
        "POST",
        "/api/imports",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES + 2 * 1024 * 1024),
        **headers,
    )
    assert response.status_code == 413
    assert "The request body is over" in response.json()["detail"]


def test_the_api_wants_multipart(client, importer):
    response = client.post(
        "/api/imports", "{}", content_type="application/json", **staff_token(importer)
    )
    assert (response.status_code, response.json()) == (
        415,
        {"detail": "Send the files as multipart/form-data."},
    )


def test_people_without_the_permission_are_refused(client, immediate):
    person = make_user()
    response = upload_zip(client, zipped(CHANNEL), staff_token(person))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Importing documents takes the 'import documents' permission."
    }
    client.force_login(person)
    assert client.get("/imports/").status_code == 403
    assert not WebImport.objects.exists()


def test_the_permission_lets_someone_not_staff_import(client, immediate, capture_on_commit):
    person = make_user()
    person.user_permissions.add(Permission.objects.get(codename="import_documents"))
    with capture_on_commit(execute=True):
        response = upload_zip(client, zipped(CHANNEL), staff_token(person))
    assert response.status_code == 202
    assert WebImport.objects.get().owner == person


def test_an_import_is_seen_by_its_owner_only(client, importer, immediate, capture_on_commit):
    with capture_on_commit(execute=True):
        import_id = upload_zip(client, zipped(CHANNEL), staff_token(importer)).json()["id"]
    other = make_staff()
    assert client.get(f"/api/imports/{import_id}", **staff_token(other)).status_code == 404
    client.force_login(other)
    assert client.get(f"/imports/{import_id}/").status_code == 404
    assert Client().get(f"/api/imports/{import_id}").status_code == 401


def test_the_page_uploads_and_shows_the_report(client, importer, immediate, capture_on_commit):
    client.force_login(importer)
    form = client.get("/imports/")
    assert b'enctype="multipart/form-data"' in form.content
    with capture_on_commit(execute=True):
        response = client.post(
            "/imports/", {"files": SimpleUploadedFile("veritasium.zip", zipped(CHANNEL))}
        )
    web_import = WebImport.objects.get()
    assert response["Location"] == f"/imports/{web_import.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert SUMMARY in page
    assert "<code>veritasium/latin1.md:2: not UTF-8 text (invalid continuation byte)</code>" in page
    assert 'data-import-state="done"' in page and "hx-trigger" not in page
    assert '<progress class="import-progress" max="3" value="3"' in page


def test_the_page_polls_while_the_import_runs(client, importer):
    web_import = WebImport.objects.create(
        owner=importer,
        name="x.zip",
        upload=b"",
        status="running",
        files_total=40,
        files_done=10,
        files_per_second=5,
    )
    client.force_login(importer)
    part = client.get(f"/imports/{web_import.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<section id="import-state"')
    assert 'hx-trigger="every 1s"' in part
    assert 'max="40" value="10"' in part
    assert "10 of 40 files · 5.0 files/s · about 6 s left" in part


def test_the_page_shows_a_refusal_and_writes_nothing(client, importer, immediate):
    client.force_login(importer)
    response = client.post(
        "/imports/", {"files": SimpleUploadedFile("evil.zip", zipped({"../x.md": "x"}))}
    )
    assert response.status_code == 400
    assert (
        "Nothing was imported. ../x.md: a path outside the archive&#x27;s folder."
        in response.content.decode()
    )
    assert not WebImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_as_each_commit_lands(client, immediate, monkeypatch):
    importer = make_staff()
    monkeypatch.setattr(web_imports, "FILES_PER_COMMIT", 2)
    seen: list[tuple[int, int]] = []
    write = web_imports.ProgressWriter.write

    def spy(self) -> None:
        write(self)
        row = WebImport.objects.get(pk=self.web_import_id)
        seen.append((row.files_done, row.files_total))

    monkeypatch.setattr(web_imports.ProgressWriter, "write", spy)
    members = {f"ch/{n}.md": document(f"T{n}", f"{n:0>11}", "ch") for n in range(5)}
    upload_zip(client, zipped(members), staff_token(importer))
    assert seen == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_queued_import(client):
    """The configured backend (database, or RQ with REDIS_URL) and its own worker command."""
    importer = make_staff()
    if settings.REDIS_URL:
        import django_rq

        django_rq.get_queue("default").empty()  # what an earlier run may have left
    response = upload_zip(client, zipped(CHANNEL), staff_token(importer))
    assert response.status_code == 202
    web_import = WebImport.objects.get()
    assert (web_import.status, web_import.task_id != "") == ("queued", True)
    assert not Episode.objects.exists()
    if settings.REDIS_URL:
        import django_rq

        assert django_rq.get_queue("default").job_ids == [web_import.task_id]
        # No fork: the worker's job must see this process's test database.
        call_command("rqworker", "default", "--burst", "--worker-class", "rq.worker.SimpleWorker")
    else:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    status = client.get(f"/api/imports/{web_import.pk}", **staff_token(importer)).json()
    assert (status["status"], status["summary"]) == ("done", SUMMARY)
    assert Episode.objects.count() == 2


def test_no_file_is_refused_naming_what_to_send(client, importer):
    response = client.post("/api/imports", {}, **staff_token(importer))
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Choose .md or .txt files, or one .zip of them."


def test_an_import_that_stops_on_an_error_is_marked_failed(
    client, importer, immediate, monkeypatch, capture_on_commit
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(web_imports, "import_paths", broken)
    with capture_on_commit(execute=True):
        import_id = upload_zip(client, zipped(CHANNEL), staff_token(importer)).json()["id"]
    status = client.get(f"/api/imports/{import_id}", **staff_token(importer)).json()
    assert (status["status"], status["failure"], status["summary"]) == (
        "failed",
        "The import stopped on an error (RuntimeError).",
        "",
    )
    assert "disk on fire" not in str(status)


def test_a_task_delivered_twice_imports_once(client, importer, immediate, capture_on_commit):
    with capture_on_commit(execute=True):
        import_id = upload_zip(client, zipped(CHANNEL), staff_token(importer)).json()["id"]
    finished = WebImport.objects.get(pk=import_id).finished
    assert web_imports.run_web_import.call(import_id) == SUMMARY
    again = WebImport.objects.get(pk=import_id)
    assert (again.finished, again.summary) == (finished, SUMMARY)


def test_the_page_refuses_a_post_without_csrf(importer, immediate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)
    response = client.post("/imports/", {"files": SimpleUploadedFile("a.md", b"x")})
    assert response.status_code == 403
    assert not WebImport.objects.exists()


def test_imports_are_rate_limited(client, importer, immediate, settings, rate_clock):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "web_import": {"user": "1/h"}}
    headers = staff_token(importer)
    assert upload_zip(client, zipped(CHANNEL), headers).status_code == 202
    refused = upload_zip(client, zipped(CHANNEL), headers)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Too many document imports for now.")
    assert WebImport.objects.count() == 1


def test_the_page_refuses_an_upload_too_large_before_reading_it(client, importer):
    client.force_login(importer)
    too_large = settings.SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES + 2 * 1024 * 1024
    response = client.generic(
        "POST",
        "/imports/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_large),
    )
    assert response.status_code == 413
    assert "Nothing was imported. The upload is over 50 MB." in response.content.decode()
    assert not WebImport.objects.exists()

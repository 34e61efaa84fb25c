"""A hostile reviewer's checks of the new features that hold: CSRF on every new write, safe
`next=` redirects, odd input answered without a 500, private replies and imports kept from
others, user text escaped where it is shown, corrections applied only by those allowed.

Each test asserts what an attacker gets back, not only the status code.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.annotations.models import Annotation
from apps.episodes.models import Timestamp, TimestampCorrection
from apps.ingest.models import WebImport
from tests.annotations.factories import PASSWORD, make_annotation, make_user
from tests.api.test_annotations import bearer, patch_json, post_json
from tests.episodes.factories import make_two_claim_episode
from tests.ingest.test_web_imports import IMMEDIATE, make_staff, staff_token, upload_zip, zipped

pytestmark = pytest.mark.django_db

VIDEO_ID = "review00001"
EVIL = "https://evil.example/"


@pytest.fixture
def episode():
    """An episode of unknown length with claims at 1:00 and 12:30."""
    return make_two_claim_episode(VIDEO_ID)


@pytest.fixture
def later() -> Timestamp:
    return Timestamp.objects.get(claim__text="Later")


def signed_in(user, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def make_staff_user(username: str):
    user = make_user(username)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_every_new_write_refuses_a_session_without_its_csrf_token(episode, later) -> None:
    staff = make_staff_user("staff")
    claim = later.claim
    correction = TimestampCorrection.objects.create(
        article_id=claim.article_id,
        claim_key=claim.key,
        position=0,
        source_seconds=750,
        seconds_from=750,
        seconds_to=760,
        proposed_by=staff,
    )
    note = make_annotation(staff, episode=episode, seconds=5, body="mine", visibility="public")
    client = signed_in(staff, csrf=True)
    answers = {
        "api apply": post_json(client, f"/api/corrections/{correction.pk}/apply", {}),
        "page apply": client.post(f"/corrections/{correction.pk}/apply/"),
        "api propose": post_json(client, f"/api/timestamps/{later.pk}/corrections", {"seconds": 9}),
        "page propose": client.post(f"/claims/{claim.pk}/timestamps/", {"timestamp": later.pk}),
        "api patch": patch_json(client, f"/api/annotations/{note.pk}", {"body": "changed"}),
        "api delete": client.delete(f"/api/annotations/{note.pk}"),
        "api note": post_json(client, "/api/annotations", {"episode": VIDEO_ID, "seconds": 5}),
        "api episode": post_json(client, "/api/episodes", {"url": "dQw4w9WgXcQ"}),
        "api import": client.post("/api/imports"),
        "api duration": post_json(client, f"/api/episodes/{VIDEO_ID}/duration", {"seconds": 9}),
        "reply": client.post(f"/notes/{note.pk}/reply/", {"body": "r"}),
        "mark": client.post(f"/episodes/{VIDEO_ID}/mark/", {"seconds": "5"}),
        "email": client.post("/accounts/email/", {"email": "a@b.example"}),
        "sign out everywhere": client.post("/accounts/sign-out-everywhere/"),
        "delete account": client.post("/accounts/delete/", {"password": PASSWORD}),
        "password change": client.post("/accounts/password_change/", {}),
        "episode new": client.post("/episodes/new/", {"url": "dQw4w9WgXcQ"}),
        "import new": client.post("/imports/", {}),
    }

    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        answers, 403
    )
    correction.refresh_from_db()
    assert correction.status == TimestampCorrection.Status.PROPOSED
    assert Annotation.objects.get(pk=note.pk).body == "mine"
    assert (Annotation.objects.count(), TimestampCorrection.objects.count()) == (1, 1)
    assert Timestamp.objects.get(pk=later.pk).seconds == 750


@pytest.mark.parametrize(
    "target", ["//evil.example/", EVIL, "/\\evil.example", "\\\\evil.example", "javascript:x()"]
)
def test_next_never_leaves_the_site(episode, later, target) -> None:
    ada = make_user("ada")
    note = make_annotation(ada, episode=episode, body="hi")
    client = signed_in(ada)

    shared = client.post(f"/notes/{note.pk}/share/", {"visibility": "public", "next": target})
    proposed = client.post(
        f"/claims/{later.claim_id}/timestamps/?next={target}",
        {"timestamp": later.pk, "at": "12:40", "next": target},
    )
    signin = Client().post(
        f"/accounts/login/?next={target}", {"username": "ada", "password": PASSWORD}
    )

    assert shared["Location"] == f"/episodes/{VIDEO_ID}/#n{note.pk}"
    assert proposed["Location"] == f"/claims/{later.claim_id}/timestamps/"
    assert signin.status_code == 302
    assert "evil" not in signin["Location"] and "javascript" not in signin["Location"]


@pytest.mark.parametrize(
    "query",
    [
        "t=99999999999999999999999",
        "t=-5",
        "t=1e9",
        "t=nan",
        "t=754&end=1e400",
        "t=754&end=-1",
        "end=790",
        "t=%00",
        "t=12:34:56:78",
        "t=754&end=99999999999999999999999999",
    ],
)
def test_odd_moments_and_clip_ends_still_open_the_page(episode, query) -> None:
    answer = Client().get(f"/episodes/{VIDEO_ID}/?{query}")

    assert answer.status_code == 200
    assert "<title>" in answer.content.decode()


@pytest.mark.parametrize("seconds", ["99999999999999999999", "-1", "1e9", "nan", "\x00", "1:2:3:4"])
def test_an_unreadable_mark_marks_nothing(episode, seconds) -> None:
    ada = make_user("ada")

    answer = signed_in(ada).post(f"/episodes/{VIDEO_ID}/mark/", {"seconds": seconds})

    assert (answer.status_code, answer["Location"]) == (302, f"/episodes/{VIDEO_ID}/")
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "x", "tags": ["a" * 41]}, "tags"),
        ({"body": "x", "tags": [f"t{i}" for i in range(11)]}, "tags"),
        ({"body": "x", "tags": ["ünïcode"]}, "tags"),
        ({"body": "x #" + "a" * 41}, "tags"),
        ({"body": " ".join(f"#t{i}" for i in range(11))}, "tags"),
        ({"body": "x", "end_seconds": 790}, "end_seconds"),
        ({"body": "x", "seconds": 754, "end_seconds": 754}, "end_seconds"),
        ({"body": "x", "seconds": 10**12}, "seconds"),
        ({"body": "x", "tags": [None]}, "tags"),
    ],
)
def test_odd_notes_through_the_api_are_422_naming_the_field(episode, fields, field) -> None:
    ada = make_user("ada")

    answer = post_json(
        Client(), "/api/annotations", {"episode": VIDEO_ID, **fields}, headers=bearer(ada)
    )

    assert answer.status_code == 422
    assert field in {str(part) for error in answer.json()["detail"] for part in error["loc"]}
    assert not Annotation.objects.exists()


def test_a_reply_to_no_note_is_not_found_and_writes_nothing(episode) -> None:
    answer = post_json(
        Client(),
        "/api/annotations",
        {"episode": VIDEO_ID, "body": "x", "parent": 10**12},
        headers=bearer(make_user("ada")),
    )

    assert answer.status_code == 404
    assert answer.json()["detail"] == "No annotation 1000000000000."
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"seconds": "12:34", "tags": "a" * 41},
        {"seconds": "", "end_seconds": "13:10"},
        {"seconds": "99999999999999999999"},
        {"seconds": "12:34", "end_seconds": "99999999999999999999999"},
        {"seconds": "12:34", "tags": " ".join(f"t{i}" for i in range(11))},
        {"seconds": "12:34", "tags": "ünï ☃"},
        {"seconds": "12:34", "tags": "a\x00"},
        {"seconds": "-1"},
    ],
)
def test_odd_edits_keep_the_note_as_it_was(episode, fields) -> None:
    ada = make_user("ada")
    note = make_annotation(ada, episode=episode, body="hi")  # at no moment: a range needs one

    answer = signed_in(ada).post(
        f"/notes/{note.pk}/edit/", {"body": "changed", "visibility": "private", **fields}
    )

    assert answer.status_code == 200
    note.refresh_from_db()
    assert (note.body, note.seconds, note.end_seconds, note.tag_names) == ("hi", None, None, [])


def test_odd_filters_answer_without_error(episode) -> None:
    client = signed_in(make_user("ada"))
    for query in ["tag=" + "a" * 100, "tag=%00", "episode=%00", "q=%00", "tag=ü", "page=9" * 20]:
        assert client.get(f"/notes/?{query}").status_code == 200, query
    for query in ["tag=%00", "parent=0", "parent=99999999999999999999", "tag=ü"]:
        assert client.get(f"/api/annotations?{query}").status_code == 422, query


def test_a_private_reply_is_not_counted_for_the_note_s_author(episode) -> None:
    ada, bob = make_user("ada"), make_user("bob")
    note = make_annotation(ada, episode=episode, seconds=100, body="parent", visibility="public")

    signed_in(bob).post(f"/notes/{note.pk}/reply/", {"body": "just me", "visibility": "private"})

    assert Annotation.objects.get(parent=note).author == bob
    assert signed_in(ada).get(f"/api/annotations/{note.pk}").json()["replies"] == 0
    assert signed_in(bob).get(f"/api/annotations/{note.pk}").json()["replies"] == 1
    assert signed_in(ada).get(f"/api/annotations?parent={note.pk}").json()["items"] == []
    assert "just me" not in signed_in(ada).get(f"/notes/{note.pk}/").content.decode()


def test_only_those_allowed_apply_a_correction(episode, later) -> None:
    ada, bob = make_user("ada"), make_user("bob")

    signed_in(ada).post(
        f"/claims/{later.claim_id}/timestamps/",
        {"timestamp": later.pk, "at": "12:40", "apply": "1"},
    )
    correction = TimestampCorrection.objects.get()
    page = signed_in(bob).post(f"/corrections/{correction.pk}/apply/")
    api = post_json(Client(), f"/api/corrections/{correction.pk}/apply", {}, headers=bearer(bob))

    assert (correction.status, correction.seconds_to) == ("proposed", 760)
    assert (page.status_code, api.status_code) == (403, 403)
    assert Timestamp.objects.get(pk=later.pk).seconds == 750


def test_a_correction_s_reason_is_shown_escaped(episode, later) -> None:
    payload = "<img src=x onerror=alert(1)>"
    signed_in(make_user("ada")).post(
        f"/claims/{later.claim_id}/timestamps/",
        {"timestamp": later.pk, "at": "12:40", "reason": payload},
    )

    page = Client().get(f"/claims/{later.claim_id}/timestamps/").content.decode()
    history = Client().get(f"/api/timestamps/{later.pk}/corrections").json()

    assert "&lt;img src=x onerror=alert(1)&gt;" in page and payload not in page
    assert history["items"][0]["reason"] == payload


def test_a_reply_s_script_is_text_on_the_thread_page(episode) -> None:
    ada, bob = make_user("ada"), make_user("bob")
    note = make_annotation(ada, episode=episode, seconds=100, body="parent", visibility="public")
    body = "<script>alert(1)</script> #x"

    answer = post_json(
        Client(),
        "/api/annotations",
        {"episode": VIDEO_ID, "parent": note.pk, "body": body, "visibility": "public"},
        headers=bearer(bob),
    )
    page = Client().get(f"/notes/{note.pk}/").content.decode()

    assert (answer.status_code, answer.json()["tags"]) == (201, ["x"])
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_clip_page_kept_for_readers_is_kept_per_end(episode) -> None:
    clip = Client().get(f"/episodes/{VIDEO_ID}/?t=754&end=790").content.decode()
    moment = Client().get(f"/episodes/{VIDEO_ID}/?t=754").content.decode()
    other = Client().get(f"/episodes/{VIDEO_ID}/?t=754&end=800").content.decode()

    assert "12:34\u201313:10" in clip
    assert "13:10" not in moment
    assert "12:34\u201313:20" in other and "13:10" not in other


def test_health_names_backends_and_no_secret(db, settings) -> None:
    answer = Client().get("/health/")
    text = answer.content.decode()

    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert set(answer.json()) == {"status", "database", "cache", "tasks"}
    assert settings.SECRET_KEY not in text and "postgres://" not in text and "@" not in text


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def test_someone_else_s_import_is_not_found(client, immediate, django_capture_on_commit_callbacks):
    owner, other = make_staff(), make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        started = upload_zip(client, zipped({"a.md": "x"}), staff_token(owner)).json()

    assert client.get(f"/api/imports/{started['id']}", **staff_token(other)).status_code == 404
    assert signed_in(other).get(f"/imports/{started['id']}/").status_code == 404
    assert signed_in(owner).get(f"/imports/{started['id']}/").status_code == 200


def test_an_uploaded_file_s_name_is_text_on_its_page(
    client, immediate, django_capture_on_commit_callbacks
):
    staff = make_staff()
    name = "<img src=x onerror=alert(1)>.md"
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/imports", {"files": [SimpleUploadedFile(name, b"x")]}, **staff_token(staff)
        )
    page = signed_in(staff).get(f"/imports/{answer.json()['id']}/").content.decode()

    assert (answer.status_code, answer.json()["name"]) == (202, name)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.md" in page


@pytest.mark.parametrize("member", ["../evil.md", "/etc/evil.md", "a/../../evil.md", "C:/x.md"])
def test_a_zip_leaving_its_folder_is_refused_whole(client, member) -> None:
    staff = make_staff()

    answer = upload_zip(client, zipped({"ok.md": "x", member: "x"}), staff_token(staff))

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"].endswith("a path outside the archive's folder.")
    assert not WebImport.objects.exists()


def test_a_zip_with_no_documents_imports_nothing(
    client, immediate, django_capture_on_commit_callbacks
):
    staff = make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload_zip(client, zipped({}), staff_token(staff))

    web_import = WebImport.objects.get()
    assert answer.status_code == 202
    assert (web_import.status, web_import.failure) == ("done", "")
    assert web_import.summary.startswith("imported 0 articles")

"""The soak's simulated people, for locust. No Django here: locust patches the standard
library with gevent when it starts, and this process only speaks HTTP.

    SOAK_PLAN=plan.json SOAK_LEDGER=ledger.json locust -f tests/soak/locustfile.py ...

Each person is one account of the plan (`prepare.py`), coming from an address of their own
(X-Forwarded-For, as a proxy in front would send it). They sign in on the sign-in page, then,
1 to 5 s apart: read episode pages (signed in, and anonymously), search (the page and the
API), seek (`/api/claims?at=`), write, edit, share and delete their notes (through the API
with their token, and through the pages' forms with the CSRF token), and import small files
of notes (the API route and the upload page).

Every write the server acknowledges is recorded in the ledger, which is written when the
test stops, for `reconcile.py` to check against the database; a write left without an
answer (or interrupted) is recorded as pending, so it may have happened or not. The ledger
also counts every answer by kind and status class, and keeps the unexpected ones.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid
from collections import defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["SOAK_PLAN"]).read_text(encoding="utf-8"))
LEDGER_PATH = Path(os.environ["SOAK_LEDGER"])
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
SURPRISES_KEPT = 200
_IMPORT_SUMMARY = re.compile(r"(\d+) notes? imported")
_numbers = itertools.count()

ledger: dict = {
    "people": {},
    "statuses": defaultdict(lambda: defaultdict(int)),
    "surprises": [],
    "surprise_count": 0,
    # Writes sent and not yet answered, with when they were sent: any left when the test
    # stops were cut off (their users were stopped mid-request).
    "in_flight": {},
    "cut_off": [],
}


def status_class(status: int) -> str:
    if status == 0:
        return "no answer"
    if status == 429:
        return "429"
    return f"{status // 100}xx"


@events.request.add_listener
def count_answer(request_type, name, response, exception, **kwargs) -> None:
    status = getattr(response, "status_code", 0) or 0
    ledger["statuses"][name][status_class(status)] += 1
    if status >= 500 or status == 0:
        note_surprise(name, response, "server error or no answer")


def note_surprise(kind: str, response, why: str) -> None:
    ledger["surprise_count"] += 1
    if len(ledger["surprises"]) < SURPRISES_KEPT:
        ledger["surprises"].append(
            {
                "kind": kind,
                "why": why,
                "status": getattr(response, "status_code", 0),
                "url": getattr(response, "url", "") or "",
                "answer": (getattr(response, "text", "") or "")[:400],
            }
        )


@events.test_stopping.add_listener
def note_stopping(environment, **kwargs) -> None:
    ledger["stopping_at"] = time.time()


@events.test_stop.add_listener
def write_ledger(environment, **kwargs) -> None:
    ledger["stopped_at"] = time.time()
    LEDGER_PATH.write_text(json.dumps(ledger, indent=1, ensure_ascii=False), encoding="utf-8")


class Person(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        number = next(_numbers) % len(PLAN["people"])
        account = PLAN["people"][number]
        self.username, self.token = account["username"], account["token"]
        self.client.headers["X-Forwarded-For"] = account["address"]
        self.anonymous = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        self.anonymous.headers["X-Forwarded-For"] = account["address"]
        self.record = ledger["people"].setdefault(
            self.username, {"notes": {}, "pending_creates": [], "imports": []}
        )
        self.written = 0
        self.sign_in(account["password"])

    def on_stop(self) -> None:
        self.anonymous.close()

    # Reading

    @task(8)
    def read_episode_anonymously(self) -> None:
        self.read_episode(self.anonymous, "episode page (anonymous)")

    @task(4)
    def read_episode_signed_in(self) -> None:
        self.read_episode(self.client, "episode page (signed in)")

    @task(3)
    def search_page(self) -> None:
        query = random.choice(PLAN["queries"])
        session = random.choice([self.client, self.anonymous])
        with session.get(
            "/search/", params={"q": query}, name="search page", catch_response=True
        ) as answer:
            self.expect(answer, answer.status_code == 200 and "<form" in answer.text)

    @task(3)
    def search_api(self) -> None:
        query = random.choice(PLAN["queries"])
        with self.client.get(
            "/api/search",
            params={"q": query},
            headers=self.bearer if random.random() < 0.5 else {},
            name="search API",
            catch_response=True,
        ) as answer:
            self.expect(answer, answer.status_code == 200 and "items" in answer.json())

    @task(6)
    def seek(self) -> None:
        episode = random.choice(PLAN["episodes"])
        claim = random.choice(episode["claims"])
        with self.anonymous.get(
            "/api/claims",
            params={"episode": episode["video_id"], "at": claim["seconds"]},
            name="claims at (seek)",
            catch_response=True,
        ) as answer:
            self.expect(answer, answer.status_code == 200 and answer.json()["count"] >= 1)

    @task(1)
    def my_notes(self) -> None:
        with self.client.get("/notes/", name="my notes page", catch_response=True) as answer:
            self.expect(answer, answer.status_code == 200 and self.username in answer.text)

    # Writing through the API, with the person's token

    @task(4)
    def write_note_api(self) -> None:
        episode, claim = self.somewhere()
        body, visibility = self.new_body(), random.choice(["private", "private", "public"])
        payload = {"episode": episode["video_id"], "body": body, "visibility": visibility}
        if random.random() < 0.7:
            payload["claim_id"] = claim["id"]
        else:
            payload["seconds"] = claim["seconds"] + random.randint(0, 20)
        self.before_writing()
        self.record["pending_creates"].append(body)
        answer = self.write("note create (API)", "POST", "/api/annotations", {201}, json=payload)
        if answer is None:
            return self.not_created(body)
        found = answer.json()
        if found.get("body") != body:
            note_surprise("note create (API)", answer, "the answer's body is not the one sent")
        self.created(found["id"], body, visibility)

    @task(3)
    def edit_note_api(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_api()
        body = self.new_body("edited")
        self.pending(note_id, body=body)
        answer = self.write(
            "note edit (API)", "PATCH", f"/api/annotations/{note_id}", {200}, json={"body": body}
        )
        self.settle(note_id, answer, body=body)

    @task(2)
    def share_note_api(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_api()
        visibility = "private" if self.notes[note_id]["visibility"] == "public" else "public"
        self.pending(note_id, visibility=visibility)
        answer = self.write(
            "note share (API)",
            "PATCH",
            f"/api/annotations/{note_id}",
            {200},
            json={"visibility": visibility},
        )
        self.settle(note_id, answer, visibility=visibility)

    @task(2)
    def delete_note_api(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_api()
        self.pending(note_id, deleted=True)
        answer = self.write("note delete (API)", "DELETE", f"/api/annotations/{note_id}", {204})
        self.settle(note_id, answer, deleted=True)

    # Writing through the pages' forms, with the session and the CSRF token

    @task(2)
    def write_note_page(self) -> None:
        episode, claim = self.somewhere()
        body, visibility = self.new_body("page"), random.choice(["private", "public"])
        self.before_writing()
        self.record["pending_creates"].append(body)
        # As the page's htmx sends it: the answer names the new note in an HX-Trigger header.
        answer = self.write(
            "note create (page)",
            "POST",
            f"/episodes/{episode['video_id']}/notes/new/",
            {200},
            data=self.form(claim=claim["id"], body=body, visibility=visibility),
            headers={"HX-Request": "true"},
        )
        if answer is None:
            return self.not_created(body)
        trigger = answer.headers.get("HX-Trigger-After-Settle", "")
        if "seeknotes:note-saved" not in trigger:
            self.record["pending_creates"].remove(body)
            return note_surprise("note create (page)", answer, "the form was refused")
        self.created(json.loads(trigger)["seeknotes:note-saved"]["id"], body, visibility)

    @task(1)
    def edit_note_page(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_page()
        body = self.new_body("page-edited")
        visibility = self.notes[note_id]["visibility"]
        self.pending(note_id, body=body)
        # A plain form post, as without JavaScript: a redirect back says it was saved.
        answer = self.write(
            "note edit (page)",
            "POST",
            f"/notes/{note_id}/edit/",
            {302},
            data=self.form(body=body, visibility=visibility),
        )
        self.settle(note_id, answer, body=body)

    @task(1)
    def share_note_page(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_page()
        visibility = "private" if self.notes[note_id]["visibility"] == "public" else "public"
        self.pending(note_id, visibility=visibility)
        answer = self.write(
            "note share (page)",
            "POST",
            f"/notes/{note_id}/share/",
            {302},
            data=self.form(visibility=visibility),
        )
        self.settle(note_id, answer, visibility=visibility)

    @task(1)
    def delete_note_page(self) -> None:
        note_id = self.own_note()
        if note_id is None:
            return self.write_note_page()
        self.pending(note_id, deleted=True)
        answer = self.write(
            "note delete (page)", "POST", f"/notes/{note_id}/delete/", {302}, data=self.form()
        )
        self.settle(note_id, answer, deleted=True)

    # Importing small files of notes

    @task(1)
    def import_notes_api(self) -> None:
        collection, bodies = self.collection()
        entry = {"bodies": bodies, "created": None}
        self.before_writing()
        self.record["imports"].append(entry)
        answer = self.write(
            "notes import (API)", "POST", "/api/annotations/import", {200}, json=collection
        )
        if answer is not None:
            entry["created"] = answer.json()["created"]
        elif self.refused:
            self.record["imports"].remove(entry)

    @task(1)
    def import_notes_page(self) -> None:
        collection, bodies = self.collection()
        entry = {"bodies": bodies, "created": None}
        self.before_writing()
        self.record["imports"].append(entry)
        answer = self.write(
            "notes import (page)",
            "POST",
            "/notes/import/",
            {200},
            data=self.form(),
            files={"file": ("notes.jsonld", json.dumps(collection), "application/ld+json")},
        )
        if answer is None:
            if self.refused:
                self.record["imports"].remove(entry)
            return
        summary = _IMPORT_SUMMARY.search(answer.text)
        if summary is None:
            note_surprise("notes import (page)", answer, "no import summary on the page")
        else:
            entry["created"] = int(summary[1])

    # What the tasks share

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def notes(self) -> dict:
        return self.record["notes"]

    def sign_in(self, password: str) -> None:
        self.client.get("/accounts/login/", name="sign-in page")
        with self.client.post(
            "/accounts/login/",
            data=self.form(username=self.username, password=password),
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            self.expect(answer, answer.status_code == 302 and "sessionid" in self.client.cookies)

    def read_episode(self, session: HttpSession, kind: str) -> None:
        episode = random.choice(PLAN["episodes"])
        params = {"t": random.choice(episode["claims"])["seconds"]} if random.random() < 0.3 else {}
        with session.get(
            f"/episodes/{episode['video_id']}/", params=params, name=kind, catch_response=True
        ) as answer:
            self.expect(answer, answer.status_code == 200 and "data-player" in answer.text)

    def expect(self, answer, looks_right: bool) -> None:
        """Reads must answer as expected; a 429 is counted apart, not as a failure."""
        if looks_right or answer.status_code == 429:
            answer.success()
            return
        answer.failure(f"unexpected answer {answer.status_code}")
        if answer.status_code < 500 and answer.status_code != 0:
            note_surprise(answer.request_meta["name"], answer, "unexpected answer to a read")

    def write(self, kind: str, method: str, url: str, expected: set[int], **options):
        """The answer when the write is acknowledged; else None, with `self.refused` saying
        whether the server answered that it did not do it (a 4xx) or its fate is unknown."""
        headers = {**(self.bearer if url.startswith("/api/") else {}), **options.pop("headers", {})}
        self.refused = False
        flight = f"{self.username} {method} {url} at {time.time():.3f}"
        ledger["in_flight"][flight] = kind
        try:
            return self.send(kind, method, url, expected, headers, options)
        except BaseException as stopped:  # the user stopped mid-request, or a bug here
            ledger["cut_off"].append(f"{flight}: {stopped!r} at {time.time():.3f}")
            raise
        finally:
            del ledger["in_flight"][flight]

    def send(self, kind: str, method: str, url: str, expected: set[int], headers, options):
        with self.client.request(
            method,
            url,
            name=kind,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **options,
        ) as answer:
            status = answer.status_code
            if status in expected:
                answer.success()
                return answer
            self.refused = 400 <= status < 500
            if status == 429:
                answer.success()
            else:
                answer.failure(f"unexpected answer {status}")
                if self.refused:
                    note_surprise(kind, answer, "a write was refused")
        return None

    def created(self, note_id: int, body: str, visibility: str) -> None:
        self.record["pending_creates"].remove(body)
        self.notes[str(note_id)] = {
            "body": body,
            "visibility": visibility,
            "deleted": False,
            "pending": None,
        }

    def not_created(self, body: str) -> None:
        if self.refused:  # else its fate is unknown: it stays pending
            self.record["pending_creates"].remove(body)

    def before_writing(self) -> None:
        """No write starts once the test is stopping: locust may stop a user mid-request."""
        if "stopping_at" in ledger:
            raise StopUser()

    def pending(self, note_id: str, **change) -> None:
        self.before_writing()
        self.notes[note_id]["pending"] = change

    def settle(self, note_id: str, answer, **change) -> None:
        """An acknowledged change is the note's state now; a refused one changed nothing."""
        note = self.notes[note_id]
        if answer is not None:
            note.update(change)
            note["pending"] = None
        elif self.refused:
            note["pending"] = None

    def own_note(self) -> str | None:
        live = [
            note_id
            for note_id, note in self.notes.items()
            if not note["deleted"] and note["pending"] is None
        ]
        return random.choice(live) if live else None

    def somewhere(self) -> tuple[dict, dict]:
        episode = random.choice(PLAN["episodes"])
        return episode, random.choice(episode["claims"])

    def new_body(self, kind: str = "note") -> str:
        self.written += 1
        return (
            f"Soak {kind} {self.written} by {self.username} ({uuid.uuid4().hex[:12]}): "
            f"**why** does this hold? Compare [the source](https://example.org/{self.written})."
        )

    def form(self, **fields) -> dict:
        return {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **fields}

    def collection(self) -> tuple[dict, list[str]]:
        """A small W3C AnnotationCollection, as /notes/export.jsonld writes them."""
        items, bodies = [], []
        for _ in range(random.randint(1, 3)):
            episode, claim = self.somewhere()
            body = self.new_body("imported")
            bodies.append(body)
            items.append(_web_annotation(episode["video_id"], claim, body))
        collection = {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "AnnotationCollection",
            "total": len(items),
            "first": {"type": "AnnotationPage", "items": items},
        }
        return collection, bodies


def _web_annotation(video_id: str, claim: dict, body: str) -> dict:
    return {
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": body, "format": "text/markdown"},
        "target": [
            {
                "source": f"https://www.youtube.com/watch?v={video_id}",
                "type": "Video",
                "selector": {
                    "type": "FragmentSelector",
                    "value": f"t={claim['seconds']}",
                    "conformsTo": MEDIA_FRAGMENTS,
                },
            },
            {
                "source": f"/episodes/{video_id}/",
                "type": "Text",
                "selector": {"type": "TextQuoteSelector", "exact": claim["text"]},
            },
        ],
    }

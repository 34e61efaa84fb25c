"""After the soak: what the server acknowledged, checked against the database.

    python -m tests.soak.reconcile PLAN.json LEDGER.json OUTPUT.json [--notes-only]

Runs in its own process with Django (the locust process has none). For every person:
- every note acknowledged with 201 (or, on the pages, named in the htmx answer) exists, by
  them, with the body and visibility of its last acknowledged change;
- every note whose delete was acknowledged (204, or the form's redirect) is gone;
- every acknowledged import wrote as many notes as it said, each once;
- they have no other note.
A write left without an answer may have happened or not; either is accepted and counted as
uncertain. Then: nobody else has notes, and each note has exactly one search row, public
exactly when the note is. Unless `--notes-only` (content changes while the corpus is being
imported beside the run): the content, the accounts and the tokens are as they were.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

MISMATCHES_KEPT = 100


@dataclass
class Findings:
    notes_kept: int = 0
    notes_deleted: int = 0
    notes_imported: int = 0
    uncertain: int = 0
    mismatch_count: int = 0
    mismatches: list[str] = field(default_factory=list)

    def mismatch(self, text: str) -> None:
        self.mismatch_count += 1
        if len(self.mismatches) < MISMATCHES_KEPT:
            self.mismatches.append(text)

    def summary(self) -> str:
        return (
            f"{self.notes_kept} notes kept as last acknowledged, {self.notes_deleted} deleted "
            f"and gone, {self.notes_imported} imported; {self.uncertain} writes without an "
            f"answer (either outcome accepted); {self.mismatch_count} mismatches"
        )


def check_written(username: str, record: dict, found: dict, findings: Findings) -> set[str]:
    """The notes written through the API and the pages; returns the ids accounted for."""
    accounted = set()
    for note_id, note in record["notes"].items():
        accepted = [(not note["deleted"], note["body"], note["visibility"])]
        if note["pending"] is not None:
            findings.uncertain += 1
            after = {**note, **note["pending"]}
            accepted.append((not after["deleted"], after["body"], after["visibility"]))
        actual = (note_id in found, *found.get(note_id, (None, None)))
        if not any(_same(actual, state) for state in accepted):
            findings.mismatch(
                f"{username}'s note {note_id}: expected {_shown(accepted[0])}, "
                f"found {_shown(actual)}"
            )
        elif note["pending"] is None:
            if note["deleted"]:
                findings.notes_deleted += 1
            else:
                findings.notes_kept += 1
        accounted.add(note_id)
    return accounted


def _same(actual: tuple, expected: tuple) -> bool:
    return actual == expected if expected[0] else not actual[0]


def _shown(state: tuple) -> str:
    exists, body, visibility = state
    return f"{visibility} note {body[:60]!r}" if exists else "no note"


def check_unacknowledged(username: str, record: dict, found: dict, findings: Findings) -> set:
    """Imports and creates: matched by their bodies, unique to each write."""
    ids_by_body: dict[str, list[str]] = {}
    for note_id, (body, _) in found.items():
        ids_by_body.setdefault(body, []).append(note_id)
    accounted = set()
    for body in record["pending_creates"]:
        findings.uncertain += 1
        accounted.update(ids_by_body.get(body, []))
    for entry in record["imports"]:
        matched = [note_id for body in entry["bodies"] for note_id in ids_by_body.get(body, [])]
        accounted.update(matched)
        if entry["created"] is None:
            findings.uncertain += 1
        elif len(matched) != entry["created"] or len(matched) != len(set(matched)):
            findings.mismatch(
                f"{username}'s import of {len(entry['bodies'])} notes said {entry['created']} "
                f"were written; {len(matched)} are there"
            )
        else:
            findings.notes_imported += len(matched)
    return accounted


def check_person(user, record: dict, findings: Findings) -> None:
    from apps.annotations.models import Annotation

    found = {
        str(pk): (body, visibility)
        for pk, body, visibility in Annotation.objects.filter(author=user).values_list(
            "pk", "body", "visibility"
        )
    }
    accounted = check_written(user.username, record, found, findings)
    accounted |= check_unacknowledged(user.username, record, found, findings)
    for note_id in sorted(set(found) - accounted, key=int):
        findings.mismatch(f"{user.username} has note {note_id}, which no write acknowledged")


def check_search_rows(findings: Findings) -> None:
    from apps.annotations.models import Annotation
    from apps.search.models import SearchDocument

    public = dict(Annotation.objects.values_list("pk", "visibility").iterator(chunk_size=2000))
    rows = list(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.ANNOTATION).values_list(
            "annotation_id", "public"
        )
    )
    per_note = Counter(annotation_id for annotation_id, _ in rows)
    for annotation_id, is_public in rows:
        if annotation_id not in public:
            findings.mismatch(f"a search row is left for note {annotation_id}, which is gone")
        elif is_public != (public[annotation_id] == "public"):
            findings.mismatch(
                f"note {annotation_id} is {public[annotation_id]} but its search row says "
                f"public={is_public}"
            )
    for annotation_id in public:
        if per_note[annotation_id] != 1:
            findings.mismatch(f"note {annotation_id} has {per_note[annotation_id]} search rows")


def check_unchanged(plan: dict, findings: Findings) -> None:
    from django.contrib.auth import get_user_model

    from apps.accounts.models import ApiToken

    from .prepare import content_fingerprint

    now = content_fingerprint()
    if now != plan["content"]:
        findings.mismatch(f"the content changed: {plan['content']} before, {now} after")
    people = len(plan["people"])
    for model in (get_user_model(), ApiToken):
        if model.objects.count() != people:
            findings.mismatch(f"{model.objects.count()} {model.__name__} rows, not {people}")


def reconcile(plan: dict, ledger: dict, *, notes_only: bool) -> Findings:
    from django.contrib.auth import get_user_model

    from apps.annotations.models import Annotation

    findings = Findings()
    users = get_user_model().objects.in_bulk(
        [person["username"] for person in plan["people"]], field_name="username"
    )
    empty = {"notes": {}, "pending_creates": [], "imports": []}
    for username, user in users.items():
        check_person(user, ledger["people"].get(username, empty), findings)
    strangers = Annotation.objects.exclude(author__in=users.values()).count()
    if strangers:
        findings.mismatch(f"{strangers} notes by someone who is not one of the people")
    check_search_rows(findings)
    if not notes_only:
        check_unchanged(plan, findings)
    return findings


def main(arguments: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")
    django.setup()
    plan_path, ledger_path, output = (Path(argument) for argument in arguments[:3])
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    ledger = json.loads(ledger_path.read_text(encoding="utf-8"))
    findings = reconcile(plan, ledger, notes_only="--notes-only" in arguments)
    output.write_text(json.dumps(asdict(findings), indent=1, ensure_ascii=False), "utf-8")
    print(f"soak: reconciled: {findings.summary()}", file=sys.stderr)
    for mismatch in findings.mismatches:
        print(f"soak:   {mismatch}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

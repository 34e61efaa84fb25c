"""The soak's figures: each run's requests by kind, its answers and its reconciliation."""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.report import _git

_IMPORT_SUMMARY = re.compile(r"^imported \d+ articles.*$", re.MULTILINE)
SURPRISES_SHOWN = 5


@dataclass
class Kind:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int]
    failures: int

    def count(self, status: str) -> int:
        return self.statuses.get(status, 0)

    @property
    def unexpected(self) -> int:
        """Answers that were not what the person expected, other than 5xx, none and 429."""
        return self.failures - self.count("5xx") - self.count("no answer")


@dataclass
class RunResult:
    name: str
    kinds: list[Kind]
    requests: int
    requests_per_second: float
    reconciliation: dict
    surprises: list[dict]
    surprise_count: int
    server_tracebacks: int
    worker_timeouts: int
    import_summary: str | None = None
    import_seconds: float | None = None
    import_returncode: int | None = None
    notes: list[str] = field(default_factory=list)

    def total(self, status: str) -> int:
        return sum(kind.count(status) for kind in self.kinds)

    @property
    def passed(self) -> bool:
        import_crashed = self.import_returncode not in (None, 0, 1) or (
            self.import_returncode is not None and self.import_summary is None
        )
        return (
            self.total("5xx") == 0
            and self.total("no answer") == 0
            and self.reconciliation.get("mismatch_count", 1) == 0
            and not import_crashed
        )


def read_run(
    name: str, folder: Path, import_seconds: float | None, import_returncode: int | None
) -> RunResult:
    ledger = json.loads((folder / "ledger.json").read_text(encoding="utf-8"))
    reconciliation = json.loads((folder / "reconciled.json").read_text(encoding="utf-8"))
    kinds, rate = [], 0.0
    with (folder / "locust_stats.csv").open(newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                rate = float(row["Requests/s"])
                continue
            statuses = ledger["statuses"].get(row["Name"], {})
            kinds.append(
                Kind(
                    name=row["Name"],
                    # The ledger's count: locust's last CSV can miss what users finish at stop.
                    requests=sum(statuses.values()) or int(row["Request Count"]),
                    p50_ms=float(row["50%"]),
                    p95_ms=float(row["95%"]),
                    statuses=statuses,
                    failures=int(row["Failure Count"]),
                )
            )
    server_log = (folder / "gunicorn.log").read_text(errors="replace")
    import_log = folder / "import.log"
    summary = _IMPORT_SUMMARY.findall(import_log.read_text()) if import_log.exists() else []
    return RunResult(
        name=name,
        kinds=sorted(kinds, key=lambda kind: kind.name),
        requests=sum(kind.requests for kind in kinds),
        requests_per_second=rate,
        reconciliation=reconciliation,
        surprises=ledger["surprises"],
        surprise_count=ledger["surprise_count"],
        server_tracebacks=server_log.count("Traceback (most recent call last)"),
        worker_timeouts=server_log.count("WORKER TIMEOUT"),
        import_summary=summary[-1] if summary else None,
        import_seconds=import_seconds,
        import_returncode=import_returncode,
    )


def run_text(run: RunResult) -> str:
    header = "| request | count | 5xx | no answer | 429 | unexpected | p50 | p95 |"
    lines = [f"### {run.name}", "", header, "|" + "---|" * 8]
    for kind in run.kinds:
        lines.append(
            f"| {kind.name} | {kind.requests:,} | {kind.count('5xx')} | {kind.count('no answer')}"
            f" | {kind.count('429')} | {kind.unexpected} | {kind.p50_ms:,.0f} ms"
            f" | {kind.p95_ms:,.0f} ms |"
        )
    errors = run.total("5xx") + run.total("no answer")
    lines += [
        "",
        f"- {run.requests:,} requests, {run.requests_per_second:.1f}/s; "
        f"{run.total('5xx')} answers 5xx and {run.total('no answer')} without an answer "
        f"(error rate {errors / max(run.requests, 1):.2%}); {run.total('429')} answers 429; "
        f"{sum(kind.unexpected for kind in run.kinds)} other unexpected answers",
        f"- reconciliation: {_reconciled(run.reconciliation)}",
        f"- server log: {run.server_tracebacks} tracebacks, {run.worker_timeouts} worker timeouts",
    ]
    if run.import_returncode is not None:
        lines.append(
            f"- the import beside it: exit status {run.import_returncode} after "
            f"{run.import_seconds:.0f} s; {run.import_summary or 'no summary line'}"
        )
    lines += [f"  - mismatch: {text}" for text in run.reconciliation.get("mismatches", [])]
    for surprise in run.surprises[:SURPRISES_SHOWN]:
        lines.append(
            f"  - unexpected: {surprise['kind']}: {surprise['status']} {surprise['why']} "
            f"({surprise['url']}): {surprise['answer'][:160]!r}"
        )
    lines.append(f"- {'PASSED' if run.passed else 'FAILED'}")
    return "\n".join(lines)


def _reconciled(found: dict) -> str:
    return (
        f"{found['notes_kept']} notes kept as last acknowledged, {found['notes_deleted']} "
        f"deleted and gone, {found['notes_imported']} imported; {found['uncertain']} writes "
        f"left without an answer (either outcome accepted); {found['mismatch_count']} mismatches"
    )


def report(runs: list[RunResult], folder: Path, seconds: float) -> bool:
    """Print every run and write them to `folder`/latest.md and .json; True when all passed."""
    load = os.getloadavg()[0]
    head = (
        f"Soak at {_git('rev-parse', '--short', 'HEAD')} on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {len(runs)} runs in {seconds / 60:.1f} min; "
        f"load average {load:.1f} at the end on {os.cpu_count()} CPUs"
    )
    text = "\n\n".join([head, *(run_text(run) for run in runs)]) + "\n"
    print(text)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "latest.md").write_text(text, encoding="utf-8")
    payload = [{**asdict(run), "passed": run.passed} for run in runs]
    (folder / "latest.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return bool(runs) and all(run.passed for run in runs)

"""The benchmark's one table: figure, value, baseline, ratio, target, whether it is met."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench-results"

UNITS = {
    "s": ("{:.2f} s", 1),
    "ms": ("{:.1f} ms", 1),
    "MB": ("{:.0f} MB", 1e-6),  # given in bytes
    "KB": ("{:.1f} KB", 1e-3),  # given in bytes
    "MB/s": ("{:.2f} MB/s", 1),
    "docs/s": ("{:,.0f} docs/s", 1),
    "req/s": ("{:,.0f} req/s", 1),
    "count": ("{:,.0f}", 1),
}


@dataclass
class Row:
    group: str
    figure: str
    value: float | None  # None: not measured (the note says why)
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    met: bool | None = None  # None: no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def shown(self, amount: float | None) -> str:
        if amount is None:
            return "—"
        pattern, scale = UNITS[self.unit]
        if self.unit == "req/s" and amount < 100:
            pattern = "{:.1f} req/s"  # a slow URL's rate still shows
        return pattern.format(amount * scale)


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def add(self, *args, **kwargs) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        shown = row.shown(row.value) if row.value is not None else row.note
        print(f"bench:   {row.group}: {row.figure} = {shown}", file=sys.stderr, flush=True)
        return row

    def skip(self, group: str, figure: str, reason: str, target: str = "") -> Row:
        return self.add(group, figure, None, "count", target=target, note=f"skipped: {reason}")

    def table(self) -> str:
        """A Markdown table, readable in a terminal and pasteable into the README."""
        header = ["figure", "value", "baseline", "ratio", "target", "met"]
        lines = [header]
        for row in self.rows:
            baseline = row.shown(row.baseline)
            if row.baseline is not None and row.baseline_name:
                baseline = f"{baseline} ({row.baseline_name})"
            ratio = "—" if row.ratio is None else _ratio(row.ratio)
            met = {True: "yes", False: "**NO**", None: ""}[row.met]
            value = row.shown(row.value) if row.value is not None else row.note
            lines.append([f"{row.group}: {row.figure}", value, baseline, ratio, row.target, met])
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        rendered = [
            "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
            for line in lines
        ]
        rendered.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(rendered)

    def notes_text(self) -> str:
        lines = [
            f"- {row.group}, {row.figure}: {row.note}"
            for row in self.rows
            if row.note and row.value is not None
        ]
        return "\n".join(lines + [f"- {note}" for note in self.notes])

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "started": self.started.isoformat(timespec="seconds"),
            "commit": _git("rev-parse", "--short", "HEAD"),
            "work_tree_changed": bool(_git("status", "--porcelain", "--untracked-files=no")),
            "machine": {
                "python": platform.python_version(),
                "cpus": _cpus(),
                "system": platform.platform(),
            },
            "rows": [{**asdict(row), "ratio": row.ratio} for row in self.rows],
            "notes": self.notes,
        }
        path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def _ratio(ratio: float) -> str:
    if ratio >= 10:
        return f"{ratio:.0f}x"
    return f"{ratio:.2f}x" if ratio >= 0.1 else f"{ratio:.3f}x"


def _git(*arguments: str) -> str:
    try:
        return subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))

"""Schemathesis, a client we did not write, holds the API to its own OpenAPI schema.

It runs as its command-line tool against the live server, with its default checks (all of
them) and every phase: the schema's examples, boundary and negative values ("coverage"),
100 generated cases per operation ("fuzzing"), and chains of calls following the links it
infers ("stateful"). Any failure fails this test, with schemathesis' report as the message.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

MAX_EXAMPLES = 100
# Fixed, so a failure found in CI reproduces on any machine with the same seed.
SEED = 4


def run_schemathesis(base_url: str, cwd, *headers: str) -> subprocess.CompletedProcess:
    header_options = [option for header in headers for option in ("--header", header)]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{base_url}/api/openapi.json",
            f"--max-examples={MAX_EXAMPLES}",
            f"--seed={SEED}",
            "--workers=1",
            *header_options,
        ],
        cwd=cwd,  # its local state goes to a temporary folder, not the project
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def report_totals(output: str) -> str:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if "SUMMARY" in line)
    return "\n".join(line for line in lines[start:] if line.strip())


@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_in_any_operation(
    live_server, seed_episode, tmp_path, capsys
) -> None:
    result = run_schemathesis(live_server.url, tmp_path)

    with capsys.disabled():
        print(f"\nschemathesis against {live_server.url}:\n{report_totals(result.stdout)}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout

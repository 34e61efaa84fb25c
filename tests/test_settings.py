from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_with_debug_off_and_a_real_secret() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SECRET_KEY": "x7Hq2-p9vKw!m4Rt8zYb1Lc6Nf3Gd0Sj5Ua8Ei2Oo7Pa4Xs9Zq1Wk6Mv3Bn0Tr5"
        },
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_with_debug_off_is_refused_clearly() -> None:
    result = run_manage("check", env={})

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_allowed_hosts_come_from_the_environment() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS)",
        env={"DJANGO_DEBUG": "1", "DJANGO_ALLOWED_HOSTS": "notes.example.org, 10.0.0.5"},
    )

    assert result.stdout.strip() == "['notes.example.org', '10.0.0.5']"

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.episodes.models import Article

from .seed_files import write
from .test_importer import ARTICLE

pytestmark = pytest.mark.django_db


def test_command_prints_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    write(tmp_path, "a.md", ARTICLE)

    call_command("import_seeds", str(tmp_path))

    out = capsys.readouterr().out
    assert out.strip().splitlines()[-1] == (
        "imported 1 articles (1 episodes, 6 claims, 5 timestamps); 0 unchanged; 0 warnings; "
        "0 failed"
    )


def test_command_without_paths_imports_seeds(capsys: pytest.CaptureFixture) -> None:
    call_command("import_seeds")

    assert Article.objects.get().episode.video_id == "Wo95ob_s_NI"
    assert capsys.readouterr().out.strip().endswith("; 0 unchanged; 0 warnings; 0 failed")


def test_command_reports_failures_with_path_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    write(tmp_path, "a.md", ARTICLE)
    bad = write(tmp_path, "b.md", "no front matter here")

    with pytest.raises(CommandError) as raised:
        call_command("import_seeds", str(tmp_path))

    assert raised.value.returncode == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"{bad}:1: ")
    assert captured.out.strip().endswith("; 0 unchanged; 0 warnings; 1 failed")
    assert Article.objects.count() == 1


def test_command_exit_status_is_1_when_a_file_fails(tmp_path: Path) -> None:
    write(tmp_path, "b.md", "no front matter here")
    database = tmp_path / "exit-status.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True)

    result = subprocess.run(
        [sys.executable, "manage.py", "import_seeds", str(tmp_path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.strip() == (
        "imported 0 articles (0 episodes, 0 claims, 0 timestamps); 0 unchanged; 0 warnings; "
        "1 failed"
    )

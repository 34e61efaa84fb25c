"""The layer contracts in pyproject.toml hold, and an import that climbs a layer breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(project / "pyproject.toml"), "--no-cache"],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "apps", tmp_path / "apps", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def add_line(module: Path, line: str) -> None:
    module.write_text(module.read_text() + f"\n{line}\n")


def test_the_project_keeps_every_layer_contract(project_copy: Path) -> None:
    result = lint_imports(project_copy)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_content_models_importing_annotations_break_the_layers(project_copy: Path) -> None:
    add_line(project_copy / "apps/episodes/outline.py", "from apps.annotations import models")

    result = lint_imports(project_copy)

    assert result.returncode == 1
    assert "apps.episodes is not allowed to import apps.annotations" in result.stdout
    assert "apps.episodes.outline -> apps.annotations.models" in result.stdout


def test_annotations_importing_exports_break_the_layers(project_copy: Path) -> None:
    add_line(project_copy / "apps/annotations/services.py", "import apps.exports.chapters")

    result = lint_imports(project_copy)

    assert result.returncode == 1
    assert "apps.annotations is not allowed to import apps.exports" in result.stdout


def test_pages_and_the_api_do_not_import_each_other(project_copy: Path) -> None:
    add_line(project_copy / "apps/api/search.py", "import apps.pages.page_cache")

    result = lint_imports(project_copy)

    assert result.returncode == 1
    assert "apps.api is not allowed to import apps.pages" in result.stdout


def test_the_reader_importing_django_breaks_its_contract(project_copy: Path) -> None:
    add_line(project_copy / "apps/reader/timecode.py", "import django.utils.text")

    result = lint_imports(project_copy)

    assert result.returncode == 1
    assert "apps.reader is not allowed to import django" in result.stdout

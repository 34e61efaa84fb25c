from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

# The standards' own test material, beside the project and never copied into it.
STANDARDS_DIR = PROJECT_ROOT.parent / "shared" / "standards"


def standards_folder(name: str) -> Path:
    """A folder of ../shared/standards; the test skips, saying so, where it is absent."""
    folder = STANDARDS_DIR / name
    if not folder.is_dir():
        pytest.skip(f"the standards' test material {folder} is absent")
    return folder


@pytest.fixture
def chapters_spec_dir() -> Path:
    return standards_folder("podcast-namespace-chapters")


@pytest.fixture
def annotation_tests_dir() -> Path:
    return standards_folder("w3c-web-annotation-tests")

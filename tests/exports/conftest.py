from __future__ import annotations

from pathlib import Path

import pytest

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from tests.annotations.factories import make_annotation, make_user
from tests.conftest import PROJECT_ROOT
from tests.episodes.factories import make_article, make_claim, make_episode, make_section

from .w3c_annotation_suite import Suite, load_suite

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


@pytest.fixture(scope="module")
def suite() -> Suite:
    return load_suite(standards_folder("w3c-web-annotation-tests"))


@pytest.fixture
def notes(db):
    """A reader's notes of every shape, and someone else's public note."""
    episode = make_episode(video_id="annotated01", title="Annotated")
    article = make_article(episode)
    section = make_section(article, title="Part")
    claim = make_claim(article, section=section, text="The claim's own words", seconds=[69])
    twin = make_claim(article, section=section, text="Said twice", seconds=[10])
    later_twin = make_claim(article, section=section, text="Said twice", seconds=[900])
    reader = make_user("reader")
    mine = [
        make_annotation(reader, claim=claim, seconds=69, body="On a **claim** <script>x</script>"),
        annotation_create(author=reader, episode=episode, seconds=3725, body="At a moment"),
        make_annotation(
            reader, episode=episode, seconds=500, body="Detached", quote="Words now gone"
        ),
        make_annotation(reader, claim=later_twin, seconds=905, body="On the later twin"),
        make_annotation(reader, episode=episode, body="Neither time nor claim"),
    ]
    make_annotation(
        make_user("other"), claim=twin, body="Theirs", visibility=Annotation.Visibility.PUBLIC
    )
    return reader, mine

"""The reader is a plain Python package: it imports and parses with no Django settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PARSE_WITHOUT_DJANGO = """
import sys
from apps.reader import ParsedArticle, parse_document, prepare_article

text = "---\\ntitle: A title\\nvideoId: abcdefghijk\\n---\\n\\nFrom: [[ch]]\\n\\nSaid at [00:01:09]."
article = parse_document(text, path="a.md")
assert isinstance(article, ParsedArticle)
print(article.sections[0].claims[0].timestamps[0].seconds)
print(prepare_article(article).claims[0].text)
print(sorted(name for name in sys.modules if name.partition(".")[0] == "django"))
"""


def test_the_reader_parses_in_a_process_without_django_settings() -> None:
    environment = {
        name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"
    }

    result = subprocess.run(
        [sys.executable, "-c", PARSE_WITHOUT_DJANGO],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["69", "Said at.", "[]"]

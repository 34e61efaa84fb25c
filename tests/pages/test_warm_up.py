"""A server process imports the URLconf and compiles the episode page's templates when its
application is made (apps/pages/warm.py), so the first reader after a start does not wait."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from apps.annotations.services import annotation_create
from apps.episodes.models import Claim, Episode
from apps.ingest.importer import import_paths
from apps.pages.warm import EPISODE_FORM_TEMPLATES, EPISODE_PAGE_TEMPLATES
from tests.annotations.factories import make_user

ROOT = Path(__file__).resolve().parent.parent.parent
# What a process holds once it has made the application, as gunicorn's worker makes it.
PROBE = """
import json, sys
import apps.{entry}
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
[partials] = engines["django"].engine.template_loaders
[loader] = partials.loaders  # the cached loader, within template-partials'
[form_loader] = get_default_renderer().engine.engine.template_loaders
print(json.dumps({{
    "urlconf": settings.ROOT_URLCONF in sys.modules,
    "api": "apps.api.site" in sys.modules,
    "templates": sorted(loader.get_template_cache),
    "form_templates": sorted(form_loader.get_template_cache),
}}))
"""


@pytest.mark.parametrize("entry", ["wsgi", "asgi"])
def test_making_the_application_loads_the_urlconf_and_the_episode_pages_templates(entry):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(entry=entry)],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "warm-up-test-" + "k" * 50},
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["urlconf"] is True
    assert loaded["api"] is True  # the API's schemas, built as its URLs are imported
    assert {"base.html", "episodes/episode.html", "annotations/_annotations.html"} <= set(
        loaded["templates"]
    )
    assert set(EPISODE_PAGE_TEMPLATES) <= set(loaded["templates"])
    assert "django/forms/widgets/textarea.html" in loaded["form_templates"]
    assert set(EPISODE_FORM_TEMPLATES) <= set(loaded["form_templates"])


@pytest.mark.django_db
def test_every_template_the_episode_page_renders_for_a_signed_in_reader_is_warmed(tmp_path):
    seed = tmp_path / "warm.md"
    seed.write_text(
        "---\ntitle: Warm\nvideoId: warmEpisode\n---\n\n## Part\n\n"
        '- A claim <a class="yt-timestamp" data-t="00:00:10">[00:00:10]</a>\n',
        "utf-8",
    )
    import_paths([seed])
    episode = Episode.objects.get(video_id="warmEpisode")
    claim = Claim.objects.get(article__episode=episode)
    reader = make_user("reader")
    annotation_create(
        author=reader, episode=episode, claim=claim, seconds=10, body="Mine", visibility="public"
    )
    client = Client()
    client.force_login(reader)

    response = client.get(episode.get_absolute_url())

    assert response.status_code == 200
    assert b"Mine" in response.content
    rendered = {template.origin.template_name.partition("#")[0] for template in response.templates}
    assert "episodes/episode.html" in rendered
    assert "django/forms/widgets/textarea.html" in rendered  # the note form's
    assert rendered <= {*EPISODE_PAGE_TEMPLATES, *EPISODE_FORM_TEMPLATES}

"""What a server process loads before its first request, so that the first reader after a
start (a deploy, a worker replaced) does not wait for it.

Django imports the URLconf, and with it the API's schemas, on the first request a process
serves, and compiles each template the first time it is rendered. `warm_up` does both when the
WSGI or ASGI application is made: gunicorn's workers make it before they accept connections.
"""

from __future__ import annotations

from django.forms.renderers import get_default_renderer
from django.template.loader import get_template
from django.urls import get_resolver

# The episode page and what it includes (`episodes/episode.html`), the page most readers
# arrive at; other pages' templates are compiled as they are first asked for.
EPISODE_PAGE_TEMPLATES = (
    "base.html",
    "episodes/episode.html",
    "episodes/_timeline.html",
    "episodes/corrections.html",
    "annotations/_annotations.html",
    "exports/_episode_links.html",
)
# The fields of its forms (a note's, a reply's), which Django's form renderer compiles apart.
EPISODE_FORM_TEMPLATES = tuple(
    f"django/forms/{name}.html"
    for name in (
        "errors/list/default",
        "errors/list/ul",
        "widgets/attrs",
        "widgets/hidden",
        "widgets/input",
        "widgets/input_option",
        "widgets/radio_option",
        "widgets/text",
        "widgets/textarea",
    )
)


def warm_up() -> None:
    """Import the URLconf and compile the episode page's templates and its forms'."""
    get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf)
    for name in EPISODE_PAGE_TEMPLATES:
        get_template(name)
    renderer = get_default_renderer()
    for name in EPISODE_FORM_TEMPLATES:
        renderer.get_template(name)

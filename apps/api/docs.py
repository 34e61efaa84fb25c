"""The API's documentation page: Swagger UI, served from django-ninja's own static files."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

# Swagger UI's stylesheet draws its icons (arrows, locks, copy buttons) as data: images. Only
# this page widens img-src for them; its scripts are files, and its settings a JSON block.
DOCS_POLICY = {"img-src": ["data:"]}


class LocalSwagger(Swagger):
    # ninja's page, with a way back to the site and the site's own icon.
    template = "api/docs.html"
    # Deep links put a link inside each operation's toggle button, a control inside a control
    # that screen readers cannot reach (axe: nested-interactive); without them each operation
    # is still one press away.
    default_settings = {**Swagger.default_settings, "deepLinking": False}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        render = csp_update(DOCS_POLICY)(super().render_page)
        return render(request, api, **kwargs)

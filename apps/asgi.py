"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

application = get_asgi_application()

from apps.pages.warm import warm_up  # noqa: E402 (once Django is set up)

warm_up()

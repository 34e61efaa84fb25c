"""WSGI entry point (gunicorn apps.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apps.settings")

application = get_wsgi_application()

from apps.pages.warm import warm_up  # noqa: E402 (once Django is set up)

warm_up()

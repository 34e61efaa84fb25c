"""The product's settings with the benchmark's URLs: the product's plus a trivial view."""

from apps.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

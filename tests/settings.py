"""The test suite's settings: the product's (apps/settings.py), then what tests change.

Named by pyproject.toml's DJANGO_SETTINGS_MODULE, so that the product's settings never have
to guess whether a test runner loaded them. DEBUG stays off as in production, so tests see
the production block; only what cannot work under a test client is turned off below.
"""

from __future__ import annotations

import os

TEST_SECRET_KEY = "tests-only-insecure-seeknotes-key-never-used-outside-the-test-suite"

# apps.settings refuses to load without a key when DEBUG is off; the tests bring their own.
os.environ.setdefault("DJANGO_SECRET_KEY", TEST_SECRET_KEY)

from apps.settings import *  # noqa: E402, F403

SECRET_KEY = TEST_SECRET_KEY

# Hashing a password properly is slow on purpose; tests create many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files come from the finders: no collectstatic, no manifest to build first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The test client and the browser tests' live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

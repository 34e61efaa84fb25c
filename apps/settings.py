"""Seeknotes settings, read from the environment with safe development defaults.

DATABASE_URL        default sqlite:///db.sqlite3 (relative to the project root)
DJANGO_SECRET_KEY   required when DJANGO_DEBUG is off
DJANGO_DEBUG        "1"/"true"/"on" to enable; off by default (`make run` turns it on)
DJANGO_ALLOWED_HOSTS comma-separated; defaults to localhost names
DJANGO_SECURE_SSL_REDIRECT, DJANGO_SECURE_COOKIES  on by default when DJANGO_DEBUG is off
DJANGO_HSTS_SECONDS, DJANGO_CSRF_TRUSTED_ORIGINS   the production block at the end
REDIS_URL           redis://host:port/db: the cache and the task queue every machine shares
DJANGO_CACHE_URL    redis://host:port/db for the cache alone (REDIS_URL sets it too)
SEEKNOTES_OEMBED_URL where to read a new episode's title (https://www.youtube.com/oembed); off
DJANGO_TRUSTED_PROXY_COUNT, DJANGO_RATE_LIMITS    see the rate limits block
EMAIL_URL           smtp://user:pass@host:port (smtps://, ?tls=1, ?ssl=1) sends mail; else console
DJANGO_DEFAULT_FROM_EMAIL  the sender of the site's mail

The test suite runs on tests/settings.py, which imports these and overrides what tests need.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rates(name: str, defaults: dict[str, dict[str, str]]) -> dict[str, dict[str, str | None]]:
    """`defaults` with the environment's "action.who=rate" items (comma-separated) over them."""
    rates: dict[str, dict[str, str | None]] = {action: {**by} for action, by in defaults.items()}
    for item in env_list(name, ""):
        target, _, rate = (part.strip() for part in item.partition("="))
        action, _, who = target.partition(".")
        if action not in rates or who not in {"user", "address"}:
            raise ImproperlyConfigured(f"{name}: no rate limit named {target!r}.")
        if rate != "off" and not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", rate):
            raise ImproperlyConfigured(f"{name}: {rate!r} is not a rate like 60/m or 30/10m.")
        rates[action][who] = None if rate == "off" else rate
    return rates


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # A throwaway key for development only; production must set its own.
        SECRET_KEY = "dev-insecure-seeknotes-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    # Before django.contrib.auth, so that its createsuperuser (look-alike names refused) wins.
    "apps.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # Only for its templates and static files: /api/docs serves Swagger UI from here, no CDN.
    "ninja",
    "axes",
    "django_ratelimit",
    "django_tasks",
    "django_tasks_db",
    "apps.episodes",
    "apps.annotations",
    "apps.search",
    "apps.exports",
    "apps.ingest",
    "apps.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.api.middleware.api_json_errors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends a session from before its account signed out everywhere (apps/accounts/sessions.py).
    "apps.accounts.sessions.end_stale_sessions",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response: the site's own scripts, styles and images, and the
# YouTube player (the IFrame API script and what it loads come from www.youtube.com, and the
# player plays in an iframe from there). Nothing inline runs: a script slipped into a page is
# refused. The API docs add data: images for Swagger UI's icons (apps/api/site.py).
YOUTUBE = "https://www.youtube.com"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, YOUTUBE],
        "frame-src": [YOUTUBE],
        "img-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "apps.urls"
WSGI_APPLICATION = "apps.wsgi.application"
ASGI_APPLICATION = "apps.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue on the busy timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }

# Each process keeps its own cache of rendered episode pages (apps/pages/page_cache.py), in
# Django's local memory without memcached's key warnings (apps/pages/local_memory.py);
# nothing in it is needed for correctness. The rate limits count in it too, and for them a cache
# shared by every worker process is what makes a limit exact: DJANGO_CACHE_URL names one.
CACHES = {
    "default": {
        "BACKEND": "apps.pages.local_memory.LocalMemoryCache",
        # An episode's kept pieces are some 230 KB on average (4.7 articles of about 50 KB),
        # 1-2 MB for the busiest: 1,000 entries stay within a few hundred MB a process.
        "OPTIONS": {"MAX_ENTRIES": 1_000},
    },
    # Each note's item and timeline mark (apps/pages/episode_pieces.py), a KB or two each: a
    # page of 500 notes makes 1,000 of them, which must not push the pages' pieces out.
    "notes": {
        "BACKEND": "apps.pages.local_memory.LocalMemoryCache",
        "LOCATION": "notes",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
# REDIS_URL is the one setting for several machines: it names the cache and the task queue.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
_cache_setting = (
    "DJANGO_CACHE_URL" if os.environ.get("DJANGO_CACHE_URL", "").strip() else "REDIS_URL"
)
_cache_url = os.environ.get(_cache_setting, "").strip()
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{_cache_setting} must be a redis://, rediss:// or unix:// URL."
        )
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _cache_url,
        "KEY_PREFIX": "seeknotes",
    }
    CACHES["notes"] = {**CACHES["default"], "KEY_PREFIX": "seeknotes-notes"}

# Background tasks (django-tasks): the web import of documents. Embedded, they wait in the
# database and `manage.py db_worker` runs them (`make run` starts it beside the server); with
# REDIS_URL they wait in Redis (RQ) and `manage.py rqworker default` runs them, on any machine.
TASK_QUEUE_TIMEOUT_SECONDS = 60 * 60
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": TASK_QUEUE_TIMEOUT_SECONDS}}
    # The workers run django-tasks' jobs (`manage.py rqworker default` needs no option).
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A new episode's title, read from YouTube's oEmbed endpoint when this names it (off by
# default: the site then asks nothing of YouTube, and a person types the title or none).
SEEKNOTES_OEMBED_URL = os.environ.get("SEEKNOTES_OEMBED_URL", "").strip()
SEEKNOTES_OEMBED_TIMEOUT = 3  # seconds; past it the episode is added untitled

# Documents imported through the site (apps/ingest/uploads.py): past any limit the upload is
# refused whole. The unpacked limit is what stops a zip bomb.
SEEKNOTES_IMPORT_MAX_UPLOAD_BYTES = 50 * 1000 * 1000
SEEKNOTES_IMPORT_MAX_FILES = 10_000
SEEKNOTES_IMPORT_MAX_UNPACKED_BYTES = 500 * 1000 * 1000

# How long a kept episode page or episode JSON may be served (a content change ends it sooner).
KEPT_PAGE_SECONDS = 60 * 60

# How many notes the episode page shows under each claim; "Show all N notes" lists them all.
NOTES_PER_CLAIM = 5

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's database sessions, read with a statement compiled once (apps/accounts/session_store.py).
SESSION_ENGINE = "apps.accounts.session_store"

# django-axes counts failed logins (through every authenticate() call: the login page, the
# admin and API tokens) and refuses a username from an address after too many; the counter
# lives in the database, so it holds across processes and servers.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the signed-in account read with a statement compiled once.
    "apps.accounts.backends.AccountBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Per username *and* address: guessing at one account is stopped without letting anyone lock
# a stranger out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Behind a reverse proxy, every request comes from the proxy's address, so the client's is taken
# from X-Forwarded-For: its entry written by the outermost of this many trusted proxies (the
# right-most one for a single proxy). 0 (the default) means no proxy: X-Forwarded-For is
# ignored, as any client can send one. django-axes and the rate limits ask the same function.
_proxy_count = os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0").strip()
if not (_proxy_count.isascii() and _proxy_count.isdigit()):
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT is a number of proxies, 0 or more.")
TRUSTED_PROXY_COUNT = int(_proxy_count)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.limits.client_address"
AXES_LOCKOUT_CALLABLE = "apps.accounts.limits.lockout_response"

# Rate limits (apps/accounts/limits.py): how many of each action one client address and one
# signed-in person ("user") may take per window, as count/period (s, m, h or d, optionally
# multiplied: 30/10m). Over a limit the answer is 429 with Retry-After; reading is never
# limited. Sign-up and sign-in count per address only: a rate per username typed would let a
# stranger keep its owner out (django-axes locks the username and address pair instead).
# DJANGO_RATE_LIMITS changes some, "action.who=rate" items separated by commas, "off" for none:
#   DJANGO_RATE_LIMITS="note_write.user=120/m, note_import.address=off"
RATE_LIMITS = env_rates(
    "DJANGO_RATE_LIMITS",
    {
        "signup": {"address": "10/h"},
        "signin": {"address": "30/10m"},
        "token": {"user": "10/h", "address": "30/h"},
        "note_write": {"user": "60/m", "address": "300/m"},
        "note_import": {"user": "10/h", "address": "30/h"},
        "correction_write": {"user": "60/h", "address": "120/h"},
        # Players report an episode's length once per page: generous, yet not a firehose.
        "duration_report": {"user": "120/h", "address": "120/h"},
        "episode_add": {"user": "30/h", "address": "60/h"},
        "web_import": {"user": "20/h", "address": "40/h"},
        # Password resets asked for and addresses to verify: each sends an email.
        "account_email": {"user": "10/h", "address": "10/h"},
        # The password typed to change it or to delete the account: guesses by a borrowed session.
        "password_check": {"user": "10/10m", "address": "30/10m"},
    },
)
# The counts live in CACHES["default"]. django-ratelimit refuses the per-process local memory
# cache (E003) because each worker process then counts alone: with N workers a client gets up
# to N times each rate. That is the honest default for one process and for development; set
# DJANGO_CACHE_URL (Redis) to share the counts. Django's RedisCache counts with Redis' atomic
# INCR, though django-ratelimit names only django-redis as supported (W001).
# (django-ratelimit does not know apps/pages/local_memory.py's class, Django's local memory
# cache under another name: it says so with W001 rather than E003.)
RATELIMIT_USE_CACHE = "default"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "annotations:mine"
LOGOUT_REDIRECT_URL = "episodes:episode_list"

# A password reset link works this long, and once: it stops working when the password changes.
PASSWORD_RESET_TIMEOUT = 60 * 60
# The link that verifies an account's email address works this long.
EMAIL_VERIFICATION_SECONDS = 24 * 60 * 60


def email_settings(url: str) -> dict[str, object]:
    """EMAIL_URL read into Django's EMAIL_* settings; empty: mail is printed on the console.

    smtp://user:password@host:port sends through that server (port 25 by default), with
    STARTTLS when ?tls=1; smtps:// (port 465 by default) or ?ssl=1 speaks TLS from the start.
    The user and password are percent-decoded, so they may hold any character.
    """
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL must be smtp://[user:pass@]host[:port] or smtps://.")
    options = {key: env_value_flag(value) for key, value in parse_qsl(parts.query)}
    ssl = parts.scheme == "smtps" or options.get("ssl", False)
    tls = options.get("tls", False)
    if ssl and tls:
        raise ImproperlyConfigured("EMAIL_URL: choose ssl (smtps://) or tls (STARTTLS), not both.")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or (465 if ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": tls,
        "EMAIL_TIMEOUT": 10,
    }


def env_value_flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_*.
globals().update(email_settings(os.environ.get("EMAIL_URL", "").strip()))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Seeknotes <noreply@localhost>")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SEEDS_DIR = BASE_DIR / "seeds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Off only where the site is served over plain HTTP on purpose (a benchmark on loopback).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("DJANGO_SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

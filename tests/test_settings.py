from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x7Hq2-p9vKw!m4Rt8zYb1Lc6Nf3Gd0Sj5Ua8Ei2Oo7Pa4Xs9Zq1Wk6Mv3Bn0Tr5"
SHOW_SECURITY = (
    "from django.conf import settings; "
    "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
    "settings.CSRF_COOKIE_SECURE, settings.STORAGES['staticfiles']['BACKEND'])"
)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """manage.py on the product's settings (manage.py's default), in exactly `env`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_with_debug_off_and_a_real_secret() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DJANGO_SECRET_KEY": SECRET},
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_with_debug_off_is_refused_clearly() -> None:
    result = run_manage("check", env={})

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_allowed_hosts_come_from_the_environment() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS)",
        env={"DJANGO_DEBUG": "1", "DJANGO_ALLOWED_HOSTS": "notes.example.org, 10.0.0.5"},
    )

    assert result.stdout.strip() == "['notes.example.org', '10.0.0.5']"


def test_production_redirects_to_https_with_secure_cookies_and_a_static_manifest() -> None:
    result = run_manage(
        "shell", "--no-imports", "-c", SHOW_SECURITY, env={"DJANGO_SECRET_KEY": SECRET}
    )

    assert result.stdout.split() == [
        "True",
        "True",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_plain_http_serving_turns_the_redirect_and_secure_cookies_off_by_name() -> None:
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_SECURITY,
        env={
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
        },
    )

    assert result.stdout.split()[:3] == ["False", "False", "False"]


def test_product_settings_do_not_change_when_a_test_runner_is_loaded() -> None:
    # The product's settings once read `"pytest" in sys.modules`; now only the environment counts.
    result = subprocess.run(
        [sys.executable, "-c", "import pytest, django; django.setup()"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "apps.settings"},
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_the_suite_runs_on_its_own_settings() -> None:
    from django.conf import settings

    assert settings.SETTINGS_MODULE == "tests.settings"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert (settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE) == (False, False)
    assert not settings.DEBUG


# Rate limits, proxies and the shared cache ------------------------------------------------

SHOW_LIMITS = (
    "from django.conf import settings; "
    "print(settings.RATE_LIMITS['note_write'], settings.RATE_LIMITS['note_import'], "
    "settings.RATE_LIMITS['signup'], settings.TRUSTED_PROXY_COUNT, "
    "settings.CACHES['default']['BACKEND'])"
)


def test_rate_limits_proxies_and_the_cache_come_from_the_environment() -> None:
    defaults = run_manage("shell", "--no-imports", "-c", SHOW_LIMITS, env={"DJANGO_DEBUG": "1"})
    changed = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_LIMITS,
        env={
            "DJANGO_DEBUG": "1",
            "DJANGO_RATE_LIMITS": "note_write.user=120/m, note_import.address=off",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0",
        },
    )

    assert defaults.stdout.strip() == (
        "{'user': '60/m', 'address': '300/m'} {'user': '10/h', 'address': '30/h'} "
        "{'address': '10/h'} 0 apps.pages.local_memory.LocalMemoryCache"
    )
    assert changed.stdout.strip() == (
        "{'user': '120/m', 'address': '300/m'} {'user': '10/h', 'address': None} "
        "{'address': '10/h'} 1 django.core.cache.backends.redis.RedisCache"
    )


def test_a_shared_cache_keeps_the_deploy_check_clean() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DJANGO_SECRET_KEY": SECRET, "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0"},
    )

    assert result.returncode == 0, result.stderr


def test_wrong_rate_proxy_and_cache_settings_are_refused_clearly() -> None:
    cases = {
        "DJANGO_RATE_LIMITS": ("notes.user=5/m", "no rate limit named 'notes.user'"),
        "DJANGO_TRUSTED_PROXY_COUNT": ("one", "DJANGO_TRUSTED_PROXY_COUNT is a number"),
        "DJANGO_CACHE_URL": ("memcached://x", "DJANGO_CACHE_URL must be a redis://"),
    }
    for name, (value, message) in cases.items():
        result = run_manage("check", env={"DJANGO_DEBUG": "1", name: value})

        assert result.returncode != 0, name
        assert message in result.stderr, name
    bad_rate = run_manage(
        "check", env={"DJANGO_DEBUG": "1", "DJANGO_RATE_LIMITS": "signup.address=5/0m"}
    )
    assert "'5/0m' is not a rate like 60/m or 30/10m" in bad_rate.stderr

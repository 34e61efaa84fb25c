"""GET /health/: database, cache and task queue, for a load balancer; and REDIS_URL driving
the cache and the queue together (settings read in a fresh process)."""

from __future__ import annotations

import pytest
from django.conf import settings

from apps.pages.views import health
from tests.test_settings import SECRET, run_manage

pytestmark = pytest.mark.django_db


def test_health_reports_every_part_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    queue = "RQBackend" if settings.REDIS_URL else "DatabaseBackend"
    cache = "RedisCache" if settings.REDIS_URL else "LocalMemoryCache"
    assert body == {
        "status": "ok",
        "database": {"ok": True, "backend": body["database"]["backend"]},
        "cache": {"ok": True, "backend": cache},
        "tasks": {"ok": True, "backend": queue},
    }
    assert body["database"]["backend"] in {"sqlite", "postgresql"}


@pytest.mark.parametrize("part", ["database", "cache", "tasks"])
def test_health_is_503_naming_the_part_that_is_down(client, monkeypatch, part):
    def down() -> str:
        raise ConnectionError("secret detail")

    monkeypatch.setitem(health.CHECKS, part, down)
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body[part] == {"ok": False, "error": "ConnectionError"}
    assert "secret detail" not in response.content.decode()
    assert all(body[other]["ok"] for other in health.CHECKS if other != part)


def test_a_redis_that_does_not_answer_is_503(client, settings):
    if settings.REDIS_URL:
        pytest.skip("the Redis in use answers")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on discard
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


SHOW_QUEUE = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'), "
    "settings.TASKS['default']['BACKEND'], 'django_rq' in settings.INSTALLED_APPS)"
)


def test_redis_url_puts_the_cache_and_the_queue_on_redis():
    embedded = run_manage("shell", "--no-imports", "-c", SHOW_QUEUE, env={"DJANGO_DEBUG": "1"})
    shared = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_QUEUE,
        env={"DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3"},
    )
    assert embedded.stdout.strip() == (
        "apps.pages.local_memory.LocalMemoryCache None django_tasks_db.DatabaseBackend False"
    )
    assert shared.stdout.strip() == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3 "
        "django_tasks_rq.RQBackend True"
    )


def test_redis_url_keeps_the_deploy_check_clean_and_refuses_other_schemes():
    clean = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"DJANGO_SECRET_KEY": SECRET, "REDIS_URL": "redis://127.0.0.1:6379/3"},
    )
    assert clean.returncode == 0, clean.stderr
    wrong = run_manage("check", env={"DJANGO_DEBUG": "1", "REDIS_URL": "memcached://x"})
    assert wrong.returncode != 0
    assert "REDIS_URL must be a redis://, rediss:// or unix:// URL." in wrong.stderr

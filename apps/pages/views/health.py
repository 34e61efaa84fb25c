"""`GET /health/`: whether this web server can reach what it needs, for a load balancer."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


def database_status() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def cache_status() -> str:
    key, value = f"health:{uuid.uuid4().hex}", str(time.time())
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("a value written was not read back")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def task_queue_status() -> str:
    """The queue answers: Redis is pinged; the database queue's table is read."""
    backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    if settings.REDIS_URL:
        import django_rq

        django_rq.get_connection("default").ping()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()
    return backend


CHECKS = {"database": database_status, "cache": cache_status, "tasks": task_queue_status}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when every part answers, 503 naming the part that does not (and never why in
    detail: the error's class only, as this is public)."""
    parts = {}
    for name, check in CHECKS.items():
        try:
            parts[name] = {"ok": True, "backend": check()}
        except Exception as error:
            parts[name] = {"ok": False, "error": type(error).__name__}
    ok = all(part["ok"] for part in parts.values())
    return JsonResponse({"status": "ok" if ok else "down", **parts}, status=200 if ok else 503)

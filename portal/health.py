"""What /healthz/ checks: the database always; Redis and the Celery workers when REDIS_URL is set."""
from django.conf import settings
from django.db import connection


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
    return "ok"


def check_workers() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from portal.celery import app

    replies = app.control.ping(timeout=1.0)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"ok ({len(replies)})"


CHECKS = {"database": check_database, "redis": check_redis, "celery": check_workers}


def run_checks() -> tuple[bool, dict[str, str]]:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # a health check reports every failure rather than raising
            results[name] = f"error: {exc}"
            healthy = False
    return healthy, results

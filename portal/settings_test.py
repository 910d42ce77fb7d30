"""Test settings: the real settings with fast hashing and captured mail."""
import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run eagerly unless a test asks for a real worker (the `celery_worker_process` fixture). A worker started
# with CELERY_TASK_ALWAYS_EAGER=0 sends the tasks it starts itself (a spread run's parts) through the broker too.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)  # noqa: F405
# Live-server threads must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Under pytest-xdist each test process has its own database (pytest-django adds _gw0, _gw1 …) and must
# have its own Redis database too, or one process's worker would run the other's tasks and a cache flush
# would drop the other's queue. Worker processes started by the tests inherit PYTEST_XDIST_WORKER, so
# they pick the same database.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist_worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = (int(_url.path.strip("/") or 0) - int(_xdist_worker[2:])) % 16
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    CACHES["default"]["LOCATION"] = CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL  # noqa: F405

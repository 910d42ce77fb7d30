"""The portal in processes of its own: management commands, a copy of the test database, a gunicorn server."""
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.management import call_command

from conftest import stop

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings_test")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def copy_of_test_database(cluster, name: str, tmp_path: Path) -> str:
    """The test database as it is now, backed up and restored into a new database of `cluster`; its URL."""
    backup_file = tmp_path / f"{name}.dump"
    call_command("backup", str(backup_file))
    url = cluster.create_database(name)
    restored = manage("restore", str(backup_file), database_url=url)
    assert restored.returncode == 0, restored.stderr
    return url


@contextmanager
def portal_server(database_url: str, workers: int = 2):
    """gunicorn serving the portal with production settings (persistent connections) on `database_url`."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}  # eager tasks, local cache
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="0",
               SECRET_KEY=settings.SECRET_KEY,  # the test's sessions are signed with it
               ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", LOG_LEVEL="WARNING")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--timeout", "60"]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a pipe nobody reads would block the server
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            if not serving(server, base):
                log.seek(0)
                pytest.fail(f"gunicorn did not start: {log.read().decode(errors='replace')[-3000:]}")
            yield base
        finally:
            stop(server, timeout=30)


def serving(server: subprocess.Popen, base: str) -> bool:
    deadline = time.monotonic() + 60
    while server.poll() is None and time.monotonic() < deadline:
        try:
            requests.get(f"{base}/healthz/", timeout=30)  # a worker's first request loads the whole portal
            return True
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    return False

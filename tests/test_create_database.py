"""`make run` against a PostgreSQL server that does not have the portal's database yet creates it first."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from conftest import is_postgres

ROOT = Path(__file__).resolve().parent.parent


def server():
    db = connection.settings_dict
    link = psycopg2.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                            port=db["PORT"])
    link.autocommit = True
    return link


def exists(name: str) -> bool:
    link = server()
    try:
        with link.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        link.close()


def create_database(url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, DEBUG="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "manage.py", "create_database"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_first_command_of_make_run_creates_a_missing_database_and_leaves_an_existing_one_alone():
    if not is_postgres():
        pytest.skip("DATABASE_URL is not PostgreSQL: SQLite creates its file by itself")
    db = connection.settings_dict
    name = f"portal_created_{uuid.uuid4().hex[:12]}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    assert not exists(name)
    try:
        first = create_database(url)
        assert first.returncode == 0, first.stderr
        assert exists(name)
        assert f"created database {name}" in first.stdout

        again = create_database(url)
        assert again.returncode == 0, again.stderr
        assert "created database" not in again.stdout
    finally:
        link = server()
        with link.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        link.close()

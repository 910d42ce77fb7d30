"""Backup and restore of the whole database: pg_dump's custom format for PostgreSQL, a page-by-page copy
(sqlite3's online backup) for SQLite. Used by the `backup` and `restore` management commands."""
import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    """A backup or restore did not complete; the message says why."""


def backup(path: Path) -> None:
    if connection.vendor == "postgresql":
        _pg_client(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)


def restore(path: Path) -> None:
    """Restore a backup into the configured database, which must be empty: restoring over tables would mix
    two databases. PostgreSQL restores in one transaction, so a failed restore leaves the database empty."""
    if connection.introspection.table_names():
        raise BackupError(f"database {connection.settings_dict['NAME']} is not empty; restore into a new one")
    if not Path(path).is_file():
        raise BackupError(f"no backup file at {path}")
    if connection.vendor == "postgresql":
        _pg_client(["pg_restore", f"--dbname={connection.settings_dict['NAME']}", "--no-owner", "--no-privileges",
                    "--exit-on-error", "--single-transaction", str(path)])
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)


def _pg_client(command: list[str]) -> None:
    """Run pg_dump or pg_restore on the configured database; libpq takes the connection from PG* variables."""
    db = connection.settings_dict
    env = dict(os.environ, PGDATABASE=db["NAME"], PGUSER=db["USER"] or "", PGPASSWORD=db["PASSWORD"] or "",
               PGHOST=db["HOST"] or "", PGPORT=str(db["PORT"] or ""))
    finished = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 (our fixed command)
    if finished.returncode:
        raise BackupError(f"{command[0]} failed: {finished.stderr.strip()}")

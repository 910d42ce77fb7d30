"""Stopping another process in the middle of its work: the test holds a row lock it will need."""
import time

import psycopg2
import pytest


class RowLock:
    """`SELECT … FOR UPDATE` on one row, held in an open transaction of a connection of the test's own."""

    def __init__(self, database_url: str, table: str, pk: int):
        self.database_url = database_url
        self.holder = psycopg2.connect(database_url)
        with self.holder.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [pk])  # table: one of ours
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]

    @classmethod
    def on_table(cls, database_url: str, table: str) -> "RowLock":
        """`LOCK TABLE … IN SHARE MODE` instead: whoever writes rows into the table waits."""
        lock = cls.__new__(cls)
        lock.database_url = database_url
        lock.holder = psycopg2.connect(database_url)
        with lock.holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")  # table: one of ours
            cursor.execute("SELECT pg_backend_pid()")
            lock.pid = cursor.fetchone()[0]
        return lock

    def wait_until_someone_waits(self, waiting: int = 1, timeout: float = 60) -> None:
        """Return once `waiting` other backends wait behind this lock: they are now in the middle of their work.

        Only the first waits for this transaction itself; a second one updating the same row waits for the
        first (the tuple lock), so every backend of the database that waits for a lock is counted.
        """
        watcher = psycopg2.connect(self.database_url)
        watcher.autocommit = True  # each look is its own snapshot of pg_stat_activity
        try:
            deadline = time.monotonic() + timeout
            while True:
                with watcher.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> %s AND cardinality(pg_blocking_pids(pid)) > 0", [self.pid])
                    if cursor.fetchone()[0] >= waiting:
                        return
                if time.monotonic() > deadline:
                    pytest.fail(f"{waiting} backends did not wait behind the row lock within {timeout} s")
                time.sleep(0.1)
        finally:
            watcher.close()

    def release(self) -> None:
        """Disconnect: the server rolls the transaction back (a rollback could wait forever on a connection
        a server restart has cut)."""
        self.holder.close()

"""Two or more calls made to overlap for real: each in a thread of its own."""
import threading
import time

from django.db import connection, transaction


def in_threads(*calls, meanwhile=lambda: None) -> list:
    """Run each call in its own thread, do `meanwhile()` while they run, and return what each returned or raised."""
    results = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:  # reported by the test; a thread cannot fail it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    try:
        meanwhile()
    finally:
        for thread in threads:
            thread.join(timeout=120)
    return results


def at_once(lock, *calls, wait) -> list:
    """`in_threads`, all held behind a lock the test owns: let go of `lock` once `wait(lock)` returns (the calls
    are then in the middle of their work)."""

    def let_go():
        try:
            wait(lock)
        finally:
            lock.release()

    return in_threads(*calls, meanwhile=let_go)


def someone_waits_for_a_lock() -> bool:
    """Whether a connection to the test database waits for a lock another holds (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND cardinality(pg_blocking_pids(pid)) > 0")
        return cursor.fetchone()[0] > 0


def while_uncommitted(first, then) -> list:
    """Run `first` in a transaction and, once it has done its work but not committed, `then` in another thread;
    commit `first` as soon as `then` waits for a lock (or has finished without waiting). Returns what `first`
    raised (None if nothing) and what `then` returned or raised."""
    done, commit, then_over = threading.Event(), threading.Event(), threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                first()
                done.set()
                commit.wait(timeout=30)
        finally:
            done.set()

    def run_then():
        done.wait(timeout=30)
        try:
            return then()
        finally:
            then_over.set()

    def commit_once_then_waits():
        done.wait(timeout=30)
        deadline = time.monotonic() + 30
        while not (then_over.is_set() or someone_waits_for_a_lock()) and time.monotonic() < deadline:
            time.sleep(0.05)
        commit.set()

    return in_threads(run_first, run_then, meanwhile=commit_once_then_waits)

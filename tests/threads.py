"""Two or more calls made to overlap for real: each in a thread of its own."""
import threading

from django.db import connection


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

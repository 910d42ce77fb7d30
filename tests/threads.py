"""Two or more calls made to overlap for real: each in a thread of its own, all held behind a lock the test owns."""
import threading

from django.db import connection


def at_once(lock, *calls, wait) -> list:
    """Run each call in its own thread, let go of `lock` once `wait(lock)` returns (the calls are then in the
    middle of their work), and return what each returned or raised."""
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
        wait(lock)
    finally:
        lock.release()
        for thread in threads:
            thread.join(timeout=120)
    return results

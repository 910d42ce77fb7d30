"""Entries built once and kept in Django's cache under a key that says everything they depend on."""
import threading
from collections import OrderedDict

from django.core.cache import cache

TIMEOUT = 24 * 3600  # an entry whose key is no longer asked for is never read again; let it expire
IN_PROCESS_BYTES = 64 * 1024 * 1024  # per worker: a few dozen rendered pages at national scale


def cached(key: str, build):
    """The entry under `key`, built (and stored) on a miss."""
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, TIMEOUT)
    return found


class InProcess:
    """The most recently used entries of this process, up to a total size; the least recently used leave first."""

    def __init__(self, limit: int):
        self.limit, self.size, self.entries, self.lock = limit, 0, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            if key not in self.entries:
                return None
            self.entries.move_to_end(key)
            return self.entries[key][1]

    def put(self, key: str, value, size: int) -> None:
        with self.lock:
            if key in self.entries or size > self.limit:
                return
            self.entries[key] = (size, value)
            self.size += size
            while self.size > self.limit:
                self.size -= self.entries.popitem(last=False)[1][0]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


in_process = InProcess(IN_PROCESS_BYTES)


def size_of(value) -> int:
    parts = value.values() if isinstance(value, dict) else value if isinstance(value, tuple) else (value,)
    return 1024 + sum(len(part) for part in parts if isinstance(part, bytes | str))


def cached_in_process(key: str, build):
    """`cached`, with a copy kept in this process too, for big entries read on every request (a page's bytes):
    a warm read then costs no transfer from Redis and no unpickling. The key names everything the entry depends
    on, so the copy is as good as the shared entry and never needs dropping. Callers must not change what they
    get (it is shared by the process's requests)."""
    found = in_process.get(key)
    if found is None:
        found = cached(key, build)
        in_process.put(key, found, size_of(found))
    return found

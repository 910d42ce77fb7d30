"""Entries built once and kept in Django's cache under a key that says everything they depend on."""
from django.core.cache import cache

TIMEOUT = 24 * 3600  # an entry whose key is no longer asked for is never read again; let it expire


def cached(key: str, build):
    """The entry under `key`, built (and stored) on a miss."""
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, TIMEOUT)
    return found

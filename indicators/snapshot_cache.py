"""What the dashboards derive from the snapshot, cached until the snapshot or the data around it changes.

An entry's key holds everything its content depends on, so nothing is ever invalidated by hand:

- what the person may see: the SQL of their restricted snapshot rows, so two people share an entry
  only when `restrict()` gives them the same rows (all municipal users share one; each unit's clerks
  another), without repeating the access rule here;
- the language, and the page's own query parameters;
- the latest succeeded run: every run that lands, a one-unit run included, has a new id and time;
- the reference version, bumped by any save or delete of what the pages show beside the snapshot
  (plans, targets, indicators, units and groups; see `IndicatorsConfig.ready`).

The cache is Redis in production (shared by every worker), local memory without REDIS_URL.
"""
import hashlib

from django.core.cache import cache
from django.utils import translation

from portal.querysets import access_fingerprint

REFERENCE_VERSION = "dashboards:reference-version"


def reference_changed(**kwargs):
    """Signal receiver: a new reference version makes every cached entry unreachable."""
    try:
        cache.incr(REFERENCE_VERSION)
    except ValueError:  # not set yet (or evicted): any fresh value differs from the missing one
        cache.set(REFERENCE_VERSION, 1, timeout=None)


def snapshot_stamp(run) -> str:
    """What changes whenever anything derived from the snapshot may have: the latest run and the reference."""
    landed = f"{run.pk}@{run.finished_at.isoformat()}" if run else "no-run"
    return f"{landed}|{cache.get(REFERENCE_VERSION, 0)}"


def snapshot_key(name: str, *, values, run, params: dict) -> str:
    """The key of entry `name` for these visible rows, the latest succeeded `run` and the query `params`.

    `params` are only the parameters the entry depends on, so a made-up parameter cannot fill the cache.
    """
    parts = [
        name, access_fingerprint(values), translation.get_language() or "", snapshot_stamp(run),
        *(f"{k}={v}" for k, v in sorted(params.items())),
    ]
    return "dashboards:" + hashlib.sha256("|".join(parts).encode()).hexdigest()

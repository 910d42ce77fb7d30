# ruff: noqa: S608 -- SQL built from the history tables' names only
"""A status list's check, kept for its confirmation (PostgreSQL): what the check compared, for the confirmation to
write without reading, matching and comparing the file again while nothing it read has changed since.

A check is kept under everything its result follows from: the file (content and name), the kind, the list's date,
the names resolved, the user and the enterprises they may change (the SQL of their scope: a changed role is another
key), and the kind's validity rule. What it read of the registry is marked by the newest history row of the
enterprises and of their status records. Every change of either writes a history row in its transaction; the mark
is read while no transaction that wrote a history row is open (a SHARE lock on both history tables, taken without
waiting and released at once), so every history row written later has a higher id, and a confirmation that finds
the same newest rows finds the registry the check read. Anything else (another mark, a lock not granted, a check in
a transaction that wrote anything before, perhaps history rows that may yet roll back) means no trust: the file is
checked again.
"""
import contextlib
import hashlib
import io
import json
import logging
import zlib

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from redis.exceptions import RedisError  # the cache's when REDIS_URL is set

from enterprises.models import Enterprise, StatusRecord, StatusValidity

logger = logging.getLogger(__name__)

KEPT_SECONDS = 30 * 60
_WATCHED = (Enterprise, StatusRecord)


def key(*, user, content: bytes, file_name: str, kind: str, issued, resolutions: dict[str, int]) -> str | None:
    """Everything but the registry that a check's result follows from, as a cache key; None for a user who may
    change no enterprise."""
    scope = Enterprise.objects.restrict(user, "change").order_by().values("pk").query
    if scope.is_empty():
        return None
    rule = StatusValidity.objects.filter(kind=kind).values_list("rule", "years").first()
    sql, params = scope.sql_with_params()
    facts = json.dumps([file_name, kind, str(issued), sorted(resolutions.items()), user.pk, sql,
                        [str(param) for param in params], rule])
    return "status-list-check:" + hashlib.sha256(hashlib.sha256(content).digest() + facts.encode()).hexdigest()


def registry_mark() -> list[int | None] | None:
    """The newest history row of the enterprises and of their status records, or None when it cannot be told (a
    transaction that wrote a history row is open, or not PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    tables = [model.history.model._meta.db_table for model in _WATCHED]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE NOWAIT")
            cursor.execute("SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {table})" for table in tables))
            mark = list(cursor.fetchone())
            transaction.set_rollback(True)  # a lock ends only with the (sub)transaction that took it
    except DatabaseError:
        return None
    return mark


def mark_for_check() -> list[int | None] | None:
    """`registry_mark` for a check to be kept: None also when the check's transaction has written anything (history
    rows it sees that may yet roll back)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id_if_assigned()")
        if cursor.fetchone()[0] is not None:
            return None
    return registry_mark()


class _Compressed:
    """A file-like that COPY writes into, compressed as it comes (a 100,000-row comparison is about 4.7 MB of text, a
    sixth of that compressed), a piece of rows at a time."""

    PIECE = 1 << 16

    def __init__(self):
        self.compressor, self.parts, self.rows, self.held = zlib.compressobj(1), [], [], 0

    def write(self, data):  # a row at a time
        self.rows.append(data.encode() if isinstance(data, str) else data)
        self.held += len(data)
        if self.held >= self.PIECE:
            self._compress()

    def getvalue(self) -> bytes:
        self._compress()
        return b"".join([*self.parts, self.compressor.flush()])

    def _compress(self):
        if compressed := self.compressor.compress(b"".join(self.rows)):
            self.parts.append(compressed)
        self.rows, self.held = [], 0


def keep(key: str, mark: list, *, result: dict, dump) -> None:
    """Keep a check's `result` with the rows `dump(file)` writes."""
    rows = _Compressed()
    dump(rows)
    try:
        cache.set(key, {"mark": mark, "result": result, "rows": rows.getvalue()}, KEPT_SECONDS)
    except RedisError as error:  # a check kept nowhere is checked again on confirmation, not refused
        logger.warning("status list check not kept: %s", error)


def trusted(key: str, mark: list):
    """The result of the check kept under `key` and a file-like of its rows, if it read the registry `mark`ed as it
    is now."""
    try:
        kept = cache.get(key)
    except RedisError:
        return None
    if kept is None or kept["mark"] != mark:
        return None
    return kept["result"], io.BytesIO(zlib.decompress(kept["rows"]))


def forget(key: str) -> None:
    with contextlib.suppress(RedisError):  # else kept under a key no one asks for again, until it expires
        cache.delete(key)

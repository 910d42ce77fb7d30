# ruff: noqa: S608 -- SQL built from the caller's table and column names only; every value is a query parameter
"""A temporary table of plain rows, for work done on a whole file at once in SQL (matching, comparing, writing).

Filled by COPY on PostgreSQL and executemany elsewhere, a batch at a time, so no more than a batch is held. The
table lives inside the caller's transaction: created, filled, dropped; a rollback takes it away too.
"""
import io
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connection

BATCH = 5000
# COPY's text format: NULL is \N, and a backslash, tab or line break inside a value is escaped. PostgreSQL's text
# holds no NUL character (a CSV may carry one in a cell): it is left out.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": None})


@contextmanager
def temporary_table(name: str, columns: dict[str, str]):
    """A temporary table `name` of `columns` (name -> SQL type) for the block; dropped when it ends without error
    (on an error, the rollback of the caller's transaction drops it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
        yield name
        cursor.execute(f"DROP TABLE {name}")


def fill(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Add `rows` (values of `columns`, in order) to `table`, then let the planner know what it holds."""
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            if connection.vendor == "postgresql":
                text = "".join("\t".join(map(_copied, row)) + "\n" for row in batch)
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))
            else:
                cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                   f"({', '.join(['%s'] * len(columns))})", batch)
        cursor.execute(f"ANALYZE {table}")


def _copied(value) -> str:
    if value is None:
        return r"\N"
    if type(value) is str:
        return value if value.isprintable() and "\\" not in value else value.translate(_ESCAPES)
    return str(value)

# ruff: noqa: S608 -- SQL built from the caller's table and column names only; every value is a query parameter
"""A temporary table of plain rows, for work done on a whole file at once in SQL (matching, comparing, writing).

Filled by COPY on PostgreSQL and executemany elsewhere, a batch at a time, so no more than a batch is held. The
table lives inside the caller's transaction: created, filled, dropped; a rollback takes it away too. On PostgreSQL a
table's rows can be taken out as COPY's CSV text and put back into a table of the same columns.
"""
import csv
import io
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connection

BATCH = 5000
_TEXT_TYPES = ("text", "varchar", "character")


@contextmanager
def temporary_table(name: str, columns: dict[str, str]):
    """A temporary table `name` of `columns` (name -> SQL type) for the block; dropped when it ends without error
    (on an error, the rollback of the caller's transaction drops it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
        yield name
        cursor.execute(f"DROP TABLE {name}")


def fill(table: str, columns: dict[str, str], rows: Iterable[tuple]) -> None:
    """Add `rows` (values of `columns`, name -> SQL type, in order; None is NULL, a text column's '' is '') to
    `table`, then let the planner know what it holds."""
    rows, names = iter(rows), ", ".join(columns)
    # COPY's CSV, written by the csv module: an empty value is NULL but in the text columns, where it is ''.
    # PostgreSQL's text holds no NUL character (a CSV may carry one in a cell): it is left out.
    texts = ", ".join(name for name, kind in columns.items() if kind.startswith(_TEXT_TYPES))
    copy = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv{f', FORCE_NOT_NULL ({texts})' if texts else ''})"
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(batch)
                cursor.cursor.copy_expert(copy, io.StringIO(buffer.getvalue().replace("\x00", "")))
            else:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
                                   batch)
        cursor.execute(f"ANALYZE {table}")


def dump(table: str, into) -> None:
    """Write the rows of `table` as COPY's CSV text to the file-like `into` (PostgreSQL; its `write` takes str or
    bytes): `load` puts them back as they were, NULLs and '' alike."""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} TO STDOUT WITH (FORMAT csv)", into)


def load(table: str, source) -> None:
    """Add the rows `dump` wrote, read from the file-like `source`, to `table` of the same columns (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", source)

# ruff: noqa: S608 -- SQL built from the caller's table and column names only; every value is a query parameter
"""A temporary table of plain rows, for work done on a whole file at once in SQL (matching, comparing, writing).

Filled by one COPY on PostgreSQL, its CSV text made as COPY reads it (the database stores a piece while Python makes
the next, and no more than a piece is held), and by executemany a batch at a time elsewhere. The table lives inside
the caller's transaction: created, filled, dropped; a rollback takes it away too. On PostgreSQL a table's rows can be
taken out as COPY's CSV text and put back into a table of the same columns.
"""
import csv
import io
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import islice

from django.db import connection

BATCH = 5000
PIECE = 1 << 16  # characters of CSV text handed to COPY at a time
ROWS_PER_WRITE = 100
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
    `table`, then let the planner know how many rows it holds (the statistics of its values, of a whole file's text,
    would cost more than they serve: the table is read whole or joined by its rows' look-ups)."""
    rows, names = iter(rows), ", ".join(columns)
    # COPY's CSV, written by the csv module: an empty value is NULL but in the text columns, where it is ''.
    texts = ", ".join(name for name, kind in columns.items() if kind.startswith(_TEXT_TYPES))
    copy = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv{f', FORCE_NOT_NULL ({texts})' if texts else ''})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = _CsvText(rows)
            try:
                cursor.cursor.copy_expert(copy, text, size=PIECE)
            except Exception:
                if text.error is not None:  # psycopg2 reports an error of `read` as a cancelled COPY
                    raise text.error from None
                raise
            cursor.execute(f"ANALYZE {table} ({next(iter(columns))})")
        else:
            while batch := list(islice(rows, BATCH)):
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",
                                   batch)
            cursor.execute(f"ANALYZE {table}")


class _CsvText:
    """`rows` as COPY's CSV text, a file-like read a piece at a time: each `read` writes rows until it has at least
    `size` characters. PostgreSQL's text holds no NUL character (a CSV may carry one in a cell): it is left out."""

    def __init__(self, rows):
        self.rows, self.buffer, self.error = rows, io.StringIO(), None
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def read(self, size: int = PIECE) -> str:
        try:
            while self.buffer.tell() < size and (batch := list(islice(self.rows, ROWS_PER_WRITE))):
                self.writer.writerows(batch)
        except Exception as error:  # the rows' own (a file refused while read): raised again by `fill`
            self.error = error
            raise
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.replace("\x00", "")


def dump(table: str, into, columns: list[str]) -> None:
    """Write the `columns` of the rows of `table` as COPY's CSV text to the file-like `into` (PostgreSQL; its `write`
    takes str or bytes): `load` puts them back as they were, NULLs and '' alike, into a table of those columns."""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) TO STDOUT WITH (FORMAT csv)", into)


def load(table: str, source) -> None:
    """Add the rows `dump` wrote, read from the file-like `source`, to `table` of the same columns (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", source)

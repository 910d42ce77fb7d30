# ruff: noqa: S608 -- SQL built from model table and column names only; every value is a query parameter
"""Many rows of one model inserted or updated together with their django-simple-history rows.

`figures_save_many` writes thousands of figure rows per chunk of an import; model instances, `bulk_create`
and simple_history's bulk helpers spent more on preparing them than the database spent writing them
(docs/performance.md, measure 4). Here a row is a dict of column (attname) -> value. The history row of
each written row is copied from what was stored, so it records exactly that. PostgreSQL takes many rows through
COPY (new rows draw their ids from the table's sequence first, then their history rows are copied by one INSERT
… SELECT; an update goes through a temporary staging table and one statement writes the rows and their history);
a few rows (one quarter saved from a form or the API), and every row on other databases, go through the ORM's
`bulk_create` and `bulk_update`: one statement where COPY takes two to four round trips, which is most of a single
save's time.
"""
import csv
import io
from contextlib import contextmanager
from functools import cache
from itertools import islice

from django.db import connection

HISTORY_CREATED, HISTORY_CHANGED = "+", "~"  # simple_history's history_type
IDS_PER_STATEMENT = 500  # SQLite limits the parameters of one statement
FEW_ROWS = 50  # up to this many rows, one INSERT or UPDATE statement beats COPY's round trips
NULL = r"\N"  # COPY's NULL marker; an empty string stays an empty string


def insert_with_history(model, rows: list[dict], *, user, date) -> list[int]:
    """Insert rows (every column except the primary key, the same columns in each); returns their ids in order."""
    if not rows:
        return []
    if _copies(rows):
        ids = _next_ids(model, len(rows))
        columns = list(rows[0])
        _copy(model._meta.db_table, [model._meta.pk.column, *columns],
              ([pk, *(row[column] for column in columns)] for pk, row in zip(ids, rows, strict=True)))
    else:
        ids = [obj.pk for obj in model._default_manager.bulk_create([model(**row) for row in rows])]
    add_history(model, ids, kind=HISTORY_CREATED, user=user, date=date)
    return ids


def update_with_history(model, rows: list[dict], fields: list[str], *, user, date) -> None:
    """Set the columns `fields` of existing rows; each row holds its primary key and at least those columns."""
    if not rows:
        return
    pk = model._meta.pk.attname
    if not _copies(rows):
        model._default_manager.bulk_update([model(**row) for row in rows], fields)
        add_history(model, [row[pk] for row in rows], kind=HISTORY_CHANGED, user=user, date=date)
        return
    table = model._meta.db_table
    with _staging(model, [pk, *fields]) as staging, connection.cursor() as cursor:
        _copy(staging, [pk, *fields], ([row[pk], *(row[name] for name in fields)] for row in rows))
        assignments = ", ".join(f"{_quoted([name])} = s.{_quoted([name])}" for name in fields)
        cursor.execute(f"WITH updated AS (UPDATE {table} t SET {assignments} FROM {staging} s WHERE t.{pk} = s.{pk} "
                       f"RETURNING t.*) {history_insert(model, 'updated')}", [date, HISTORY_CHANGED, _id_of(user)])


def add_history(model, ids: list[int], *, kind: str, user, date) -> None:
    """A history row of `kind` (HISTORY_CREATED or HISTORY_CHANGED) by `user` at `date` for each row of `ids`, as
    the row is stored now."""
    if not ids:
        return
    insert = f"{history_insert(model, model._meta.db_table)} WHERE {model._meta.pk.column} "
    actor = [date, kind, _id_of(user)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement whatever the rows: the ids as one array
            cursor.execute(insert + "= ANY(%s)", [*actor, list(ids)])
            return
        ids = iter(ids)
        while batch := list(islice(ids, IDS_PER_STATEMENT)):
            cursor.execute(insert + f"IN ({', '.join(['%s'] * len(batch))})", [*actor, *batch])


def history_insert(model, rows: str) -> str:
    """The INSERT of a history row for each of `rows` (the model's table, or a statement's result of its columns);
    its parameters: the date, the kind (HISTORY_CREATED or HISTORY_CHANGED) and the user's id."""
    history = model.history.model
    tracked = _quoted([field.column for field in history.tracked_fields])
    return (f"INSERT INTO {history._meta.db_table} ({tracked}, history_date, history_change_reason, history_type, "
            f"history_user_id) SELECT {tracked}, %s, NULL, %s, %s FROM {rows}")


def _copies(rows) -> bool:
    return connection.vendor == "postgresql" and len(rows) > FEW_ROWS


def _next_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [_sequence(model), count])
        return [pk for (pk,) in cursor.fetchall()]


@cache
def _sequence(model) -> str:
    """The sequence of the model's ids (looked up once: `nextval(pg_get_serial_sequence(…))` would look it up for
    every id)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        return cursor.fetchone()[0]


def _id_of(user) -> int | None:
    return user.pk if user else None


@contextmanager
def _staging(model, columns: list[str]):
    """A temporary table of these columns of the model's table, empty, dropped after use."""
    staging = f"{model._meta.db_table}_staging"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {_quoted(columns)} FROM {model._meta.db_table} "
                       "WITH NO DATA")
        try:
            yield staging
        finally:
            cursor.execute(f"DROP TABLE {staging}")


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([NULL if value is None else value for value in row] for row in rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({_quoted(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
                                  buffer)


def _quoted(columns) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)

"""Loading many rows fast: plain tuples with COPY on PostgreSQL, executemany elsewhere, and one
INSERT … SELECT for the history rows of a load (model instances and per-row history cost minutes at scale).

Used by the synthetic data of the demo and of the benchmarks, never by a user's write: it bypasses the services.
"""
import csv
import io
import json

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

BATCH = 5000
NULL = r"\N"  # COPY's NULL, so that an empty string stays an empty string


def load(model, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert rows giving `columns` (attribute names); every other field gets its default (now for auto_now).

    Rows may give the primary key ("id" among the columns): the sequence then moves past them."""
    if not rows:
        return 0
    now = timezone.now()
    others = {
        field.attname: now if getattr(field, "auto_now", False) else field.get_default()
        for field in model._meta.concrete_fields if not field.primary_key and field.attname not in columns
    }
    names, tail = (*columns, *others), tuple(others.values())
    after = model.objects.aggregate(last=Max("pk"))["last"] or 0
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(tuple(_copied(v) for v in row + tail) for row in rows)
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {model._meta.db_table} ({quoted(names)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')", buffer
            )
            if "id" in columns:
                cursor.execute(connection.ops.sequence_reset_sql(no_style(), [model])[0])
    else:
        _insert_many(model, columns, others, rows)
    if hasattr(model, "history"):
        add_history(model, after, now)
    return len(rows)


def _insert_many(model, columns, others: dict, rows):
    """executemany of the plain rows: `bulk_create` of model instances takes minutes for 500,000 rows on SQLite."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    tail = tuple(fields[name].get_db_prep_save(value, connection) for name, value in others.items())
    converters = [(index, _converter(fields[name])) for index, name in enumerate(columns)]
    converters = [(index, convert) for index, convert in converters if convert]
    names = [fields[name].column for name in (*columns, *others)]
    sql = f"INSERT INTO {model._meta.db_table} ({quoted(names)}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = []
            for row in rows[start:start + BATCH]:
                if converters:
                    row = list(row)
                    for index, convert in converters:
                        row[index] = None if row[index] is None else convert(row[index])
                batch.append((*row, *tail))
            cursor.executemany(sql, batch)


def _converter(field):
    """How a plain value of the field's type is given to the database (None for as is)."""
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    return None


def _copied(value):
    if value is None:
        return NULL
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def add_history(model, after: int, now):
    """A "created" history row for every row of `model` with a primary key above `after`."""
    history = model.history.model
    tracked = [f.column for f in history._meta.concrete_fields if f.column in {c.column for c in model._meta.fields}]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history._meta.db_table} ({quoted(tracked)}, history_date, history_type) "  # noqa: S608
            f"SELECT {quoted(tracked)}, %s, '+' FROM {model._meta.db_table} WHERE id > %s", [now, after]
        )


def quoted(columns) -> str:
    return ", ".join(connection.ops.quote_name(column) for column in columns)

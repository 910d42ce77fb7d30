"""Writing snapshot rows as they are produced, in batches: COPY on PostgreSQL, `bulk_create` elsewhere.

A national run produces about a million rows, so they travel as plain tuples (`Row`, named after the model's
columns) rather than model instances, and never all at once: memory holds one batch.
"""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.db import connection

from indicators.models import IndicatorValue

BATCH = 5000


class Row(NamedTuple):
    """One `IndicatorValue` row; numbers are floats already rounded to the column's 4 decimal places."""

    run_id: int
    computed_at: datetime
    data_updated_at: datetime | None
    plan_id: int
    indicator_id: int
    period_id: int
    scope: str
    group_id: int | None
    unit_id: int | None
    value: float | None
    units_reporting: int
    units_expected: int
    baseline_period_id: int | None
    baseline_value: float | None
    target_id: int | None
    target_period_id: int | None
    target_value: float | None
    progress: float | None
    expected_progress: float | None
    expected_value: float | None
    pace_ratio: float | None
    gap: float | None
    projected_linear: float | None
    projected_compound: float | None
    status: str
    yoy_growth: float | None
    avg_annual_growth: float | None
    rank_all: int | None = None
    rank_in_group: int | None = None


def write_rows(rows: Iterable[Row]) -> int:
    """Insert the rows in batches (inside the caller's transaction); returns how many."""
    insert = copy_batch if connection.vendor == "postgresql" else create_batch
    written = 0
    for batch in batches(rows, BATCH):
        insert(batch)
        written += len(batch)
    return written


def batches(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def copy_batch(batch: list[Row]):
    """COPY in CSV, where an unquoted empty field is NULL (no text column of a row is ever empty)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(batch)
    buffer.seek(0)
    columns = ", ".join(Row._fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {IndicatorValue._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer
        )


def create_batch(batch: list[Row]):
    IndicatorValue.objects.bulk_create(
        IndicatorValue(**{name: Decimal(str(v)) if isinstance(v, float) else v for name, v in row._asdict().items()})
        for row in batch
    )

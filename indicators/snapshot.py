# ruff: noqa: S608 -- SQL built from model table and column names only; every value is a query parameter
"""Writing snapshot rows as they are produced, in batches: COPY on PostgreSQL, `bulk_create` elsewhere; ranks.

A national run produces about a million rows, so they travel as plain tuples (`Row`, named after the model's
columns) rather than model instances, and never all at once: memory holds one batch. A whole plan on
PostgreSQL is first copied into a temporary table and inserted from there with its ranks, so no row is
written twice (an UPDATE of every row for its rank cost as much as the insert).
"""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import NamedTuple

from django.db import connection

from districts.models import Unit
from indicators.models import Indicator, IndicatorValue

BATCH = 5000


class Row(NamedTuple):
    """One `IndicatorValue` row. Decimal columns hold their text with the column's 4 decimal places
    (`computation.column_text`): what COPY writes, and what the database stores."""

    run_id: int
    computed_at: datetime
    data_updated_at: datetime | None
    plan_id: int
    indicator_id: int
    period_id: int
    scope: str
    group_id: int | None
    unit_id: int | None
    value: str | None
    units_reporting: int
    units_expected: int
    baseline_period_id: int | None
    baseline_value: str | None
    target_id: int | None
    target_period_id: int | None
    target_value: str | None
    progress: str | None
    expected_progress: str | None
    expected_value: str | None
    pace_ratio: str | None
    gap: str | None
    projected_linear: str | None
    projected_compound: str | None
    status: str
    yoy_growth: str | None
    avg_annual_growth: str | None
    rank_all: int | None = None
    rank_in_group: int | None = None


def write_rows(rows: Iterable[Row], table: str = IndicatorValue._meta.db_table) -> int:
    """Insert the rows in batches (inside the caller's transaction); returns how many."""
    insert = copy_batch if connection.vendor == "postgresql" else create_batch
    written = 0
    for batch in batches(rows, BATCH):
        insert(batch, table)
        written += len(batch)
    return written


def batches(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def copy_batch(batch: list[Row], table: str = IndicatorValue._meta.db_table):
    """COPY in CSV, where an unquoted empty field is NULL (no text column of a row is ever empty).

    A batch holds few distinct times (the run's, the latest save of each of its places), each formatted once.
    """
    buffer = io.StringIO()
    times = {None: None}
    for row in batch:
        if row.data_updated_at not in times:
            times[row.data_updated_at] = str(row.data_updated_at)
        if row.computed_at not in times:
            times[row.computed_at] = str(row.computed_at)
    csv.writer(buffer).writerows([(row[0], times[row[1]], times[row[2]], *row[3:]) for row in batch])
    buffer.seek(0)
    columns = ", ".join(Row._fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer
        )


def create_batch(batch: list[Row], table: str = IndicatorValue._meta.db_table):
    """One prepared INSERT for the whole batch (SQLite: development and tests), without building model instances."""
    adapt = connection.ops.adapt_datetimefield_value
    columns = ", ".join(Row._fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(Row._fields))})",
            [(row.run_id, adapt(row.computed_at), adapt(row.data_updated_at), *row[3:]) for row in batch],
        )


def write_ranked(plan, rows: Iterable[Row]) -> int:
    """Insert a whole plan's rows with their ranks."""
    if connection.vendor != "postgresql":
        written = write_rows(rows)
        rank_rows(plan)
        return written
    table, staging = IndicatorValue._meta.db_table, "snapshot_staging"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} (LIKE {table})")
        cursor.execute(f"ALTER TABLE {staging} ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY")
        written = 0
        for batch in batches(rows, BATCH):
            copy_batch(batch, staging)
            written += len(batch)
        insert_ranked(staging)
        cursor.execute(f"DROP TABLE {staging}")
    return written


def insert_ranked(staging: str, into: str = IndicatorValue._meta.db_table, plan_id: int | None = None) -> int:
    """Insert every row of a staging table shaped like the snapshot's (ids unique), or only one plan's, into the
    snapshot or a table shaped like it, with its ranks (PostgreSQL); how many."""
    values = [name for name in Row._fields if not name.startswith("rank_")]
    where, params = ("", []) if plan_id is None else ("AND v.plan_id = %s", [plan_id, plan_id])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {into} ({', '.join(values)}, rank_all, rank_in_group) "
            f"SELECT {', '.join(f's.{name}' for name in values)}, r.rank_all, r.rank_in_group "
            f"FROM {staging} s LEFT JOIN ({ranked(staging, where)}) r ON r.id = s.id"
            + ("" if plan_id is None else " WHERE s.plan_id = %s"),
            params,
        )
        return cursor.rowcount


def ranked(source: str, where: str = "") -> str:
    """SELECT id, rank_all, rank_in_group for the unit rows of `source` that have a value and whose quarter is
    approved (units_reporting 1): competition ranks (1, 2, 2, 4) per plan, indicator and quarter, among all units
    and within their group, by direction. The others stay unranked."""
    return f"""
    SELECT id,
           RANK() OVER (PARTITION BY plan_id, indicator_id, period_id ORDER BY sort_key) AS rank_all,
           RANK() OVER (PARTITION BY plan_id, indicator_id, period_id, group_id ORDER BY sort_key) AS rank_in_group
    FROM (
        SELECT v.id, v.plan_id, v.indicator_id, v.period_id, u.group_id,
               CASE WHEN i.direction = 'down' THEN v.value ELSE -v.value END AS sort_key
        FROM {source} v
        JOIN {Unit._meta.db_table} u ON u.id = v.unit_id
        JOIN {Indicator._meta.db_table} i ON i.id = v.indicator_id
        WHERE v.value IS NOT NULL AND v.units_reporting > 0 {where}
    ) AS keyed"""


def rank_rows(plan, partitions: set[tuple[int, int]] | None = None):
    """Rank the stored unit rows of a plan, or only of some (indicator id, period id), in one UPDATE that
    writes only the rows whose rank moves."""
    table = IndicatorValue._meta.db_table
    where, params = "AND v.plan_id = %s", [plan.pk]
    if partitions:
        where += " AND (v.indicator_id, v.period_id) IN (VALUES {})".format(", ".join(["(%s, %s)"] * len(partitions)))
        params += [number for partition in sorted(partitions) for number in partition]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET rank_all = ranked.rank_all, rank_in_group = ranked.rank_in_group "
            f"FROM ({ranked(table, where)}) AS ranked WHERE {table}.id = ranked.id "
            f"AND ({table}.rank_all IS DISTINCT FROM ranked.rank_all "
            f"OR {table}.rank_in_group IS DISTINCT FROM ranked.rank_in_group)",
            params,
        )

# ruff: noqa: S608 -- SQL built from table names derived from a run id (an integer) and model table names only
"""A full run spread over Celery workers: its parts are computed apart and staged, then swapped in at once.

A full run is cut by plan: one part for the plan's group and city rows, and parts of equal size for its units
(ranges of unit ids, so a unit added meanwhile still falls in one). Each part is a task of a Celery chord's
header: it computes its rows and copies them into the run's staging table, and marks itself done, in one
transaction of its own. The chord's body takes the snapshot lock and, in one transaction, replaces the whole
snapshot with the staged rows and ranks them: a reader sees the previous snapshot until that commit, then all
of the new one. The staging table is unlogged on PostgreSQL (no WAL for rows that only live until the swap):
a crash of the server empties it, the run then fails or is redone, and the snapshot is untouched.

An attempt is named by the run's `started_at`, which each claim sets: the parts and the body of an older
attempt (its dispatching task was redelivered, or the run was sent again once abandoned) find it changed and
do nothing. A part redelivered after its transaction committed finds itself done. A chord counts completed
tasks, not distinct parts, so the body first computes any part not done yet itself.
"""
import math
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F

from districts.models import Unit
from indicators import snapshot
from indicators.choices import RunStatus
from indicators.computation import RunReads, plan_rows
from indicators.models import DashboardRun, IndicatorValue, Plan
from indicators.services import (
    cover_waiting_runs,
    dashboard_run_failed,
    dashboard_run_succeeded,
    dashboards_request_recompute,
    take_lock,
)

UNIT_PARTS = 8  # parts per plan for its units: enough for a few workers to end together
MAX_PART_UNITS = 500  # beyond that a plan gets more parts, so a part's memory and time stay bounded
PREFIX = "indicators_staged_run_"


def staging_tables(run_id: int) -> tuple[str, str]:
    """The run's staged rows, and the parts done."""
    return f"{PREFIX}{int(run_id)}", f"{PREFIX}{int(run_id)}_parts"


def dashboards_spread(*, run: DashboardRun) -> dict | None:
    """Prepare a claimed full run to be spread: empty staging tables, its parts, the waiting runs it covers.

    Returns the arguments of its chord ({"attempt", "parts", "covered"}), or None when there is no plan.
    """
    plans = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    if not plans:
        return None
    drop_stale_staging()
    create_staging(run.pk)
    # The waiting runs whose changes every part reads: those recorded before any part starts.
    covered = cover_waiting_runs(run)
    parts = [{"plan": plan_id, "units": None} for plan_id in plans]  # the aggregates: a whole-country read
    parts += [{"plan": plan_id, "units": bounds} for plan_id in plans for bounds in unit_ranges()]
    for index, part in enumerate(parts):
        part["index"] = index
    DashboardRun.objects.filter(pk=run.pk).update(steps_done=0, steps_total=len(parts) + 1)
    return {"attempt": run.started_at.isoformat(), "parts": parts, "covered": covered}


def unit_ranges() -> list[list[int | None]]:
    """[from id, to id) of each part of a plan's units, of equal size; the first and last open-ended."""
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    count = max(UNIT_PARTS, math.ceil(len(ids) / MAX_PART_UNITS))
    starts = sorted({ids[len(ids) * i // count] for i in range(1, count) if ids})
    bounds = [None, *starts, None]
    return [[bounds[i], bounds[i + 1]] for i in range(len(bounds) - 1)]


def attempt_of(run_id: int, attempt: str):
    """The run, if this attempt still holds it."""
    return DashboardRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, started_at=datetime.fromisoformat(attempt))


def dashboards_stage(*, run_id: int, attempt: str, part: dict) -> bool:
    """Compute one part of a spread run and stage its rows, in one transaction; False if it had nothing to do
    (done already, or the attempt is over)."""
    run = attempt_of(run_id, attempt).first()
    if run is None:
        return False
    table, done = staging_tables(run_id)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # waits for a twin of this part still at work, then finds it done
                cursor.execute(f"INSERT INTO {done} (part) VALUES (%s) ON CONFLICT DO NOTHING", [part["index"]])
                if not cursor.rowcount:
                    return False
            plan = Plan.objects.select_related("baseline").filter(pk=part["plan"]).first()
            if plan is not None:
                snapshot.write_rows(part_rows(plan, run, part["units"]), table)
            if not attempt_of(run_id, attempt).update(steps_done=F("steps_done") + 1):
                transaction.set_rollback(True)  # a newer attempt has the run
                return False
    except Exception as error:
        dashboard_run_failed(run_id, error, status=RunStatus.RUNNING, started_at=run.started_at)
        raise
    return True


def part_rows(plan, run, bounds):
    if bounds is None:
        return plan_rows(plan, run=run, reads=RunReads([plan]), units=Unit.objects.none())
    units = Unit.objects.all()
    if bounds[0] is not None:
        units = units.filter(pk__gte=bounds[0])
    if bounds[1] is not None:
        units = units.filter(pk__lt=bounds[1])
    return plan_rows(plan, run=run, reads=None, units=units)


def dashboards_swap(*, run_id: int, attempt: str, parts: list[dict], covered: list[int]) -> DashboardRun | None:
    """The chord's body: replace the whole snapshot with the staged rows, ranked, in one transaction."""
    if not attempt_of(run_id, attempt).exists():
        return None
    for part in parts_missing(run_id, parts):
        dashboards_stage(run_id=run_id, attempt=attempt, part=part)
    table, done = staging_tables(run_id)
    started_at = datetime.fromisoformat(attempt)
    try:
        with transaction.atomic():
            take_lock()
            run = attempt_of(run_id, attempt).select_for_update().first()
            if run is None:
                return None
            IndicatorValue.objects.all().delete()
            written = insert_staged(table)
            dashboard_run_succeeded(run, rows=written, steps=len(parts) + 1, covered=covered)
            redo_changes_landed_meanwhile(run)
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {table}")
                cursor.execute(f"DROP TABLE {done}")
    except Exception as error:
        dashboard_run_failed(run_id, error, status=RunStatus.RUNNING, started_at=started_at)
        raise
    return run


def parts_missing(run_id: int, parts: list[dict]) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT part FROM {staging_tables(run_id)[1]}")
        done = {index for (index,) in cursor.fetchall()}
    return [part for part in parts if part["index"] not in done]


def insert_staged(table: str) -> int:
    """Insert the staged rows into the snapshot with their ranks; how many."""
    if connection.vendor == "postgresql":
        return snapshot.insert_ranked(table)
    columns = ", ".join(name for name in snapshot.Row._fields if not name.startswith("rank_"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {IndicatorValue._meta.db_table} ({columns}) SELECT {columns} FROM {table}")
        written = cursor.rowcount
    for plan in Plan.objects.all():
        snapshot.rank_rows(plan)
    return written


def redo_changes_landed_meanwhile(run: DashboardRun):
    """A run that finished while the parts were being computed stored a change some part may have read before
    it was made; the swap has just replaced its rows, so its unit (or everything) is computed again after."""
    landed = DashboardRun.objects.filter(status=RunStatus.SUCCEEDED, finished_at__gte=run.started_at)
    for unit, trigger in {(r.unit, r.trigger) for r in landed.exclude(pk=run.pk).select_related("unit")}:
        dashboards_request_recompute(unit=unit, trigger=trigger)


def create_staging(run_id: int):
    table, done = staging_tables(run_id)
    source = IndicatorValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"DROP TABLE IF EXISTS {done}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE UNLOGGED TABLE {table} (LIKE {source})")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY")
            cursor.execute(f"CREATE UNLOGGED TABLE {done} (part integer PRIMARY KEY)")
        else:
            cursor.execute(f"CREATE TABLE {table} AS SELECT * FROM {source} WHERE 0")
            cursor.execute(f"CREATE TABLE {done} (part integer PRIMARY KEY)")


def drop_stale_staging():
    """Drop the staging tables of runs no longer running (failed, or left by a crash)."""
    running = set(DashboardRun.objects.filter(status=RunStatus.RUNNING).values_list("pk", flat=True))
    stale = [name for name in connection.introspection.table_names()
             if name.startswith(PREFIX) and int(name[len(PREFIX):].split("_")[0]) not in running]
    with connection.cursor() as cursor:
        for name in stale:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")

# ruff: noqa: S608 -- SQL built from table names derived from a run id (an integer) and model table names only
"""A full run spread over Celery workers: its parts are computed apart and staged, then swapped in at once.

A full run is cut by plan: one part for the plan's group and city rows, and parts of equal size for its units
(ranges of unit ids, so a unit added meanwhile still falls in one). Each part is a task of a Celery chord's
header: it computes its rows and copies them into the run's staging table, and marks itself done, in one
transaction of its own. On PostgreSQL the new snapshot is then built beside the old one in two more chords,
each of which the previous chord's body sends once every step before it is done: one step per plan inserts
its staged rows, ranked, into the run's new table (without indexes, so each row is written once and cheaply),
then one step per index of the snapshot builds it there, and one gathers its statistics. The last body takes
the snapshot lock and, in one short transaction, drops the old table and gives the new one its name and its
indexes theirs: a reader sees the previous snapshot until that commit, then all of the new one (SQLite, for
development, replaces the rows and ranks them in that transaction instead). The staging table is unlogged on
PostgreSQL (no WAL for rows that only live until the swap): a crash of the server empties it, the run then
fails or is redone, and the snapshot is untouched.

An attempt is named by the run's `started_at`, which each claim sets: the steps and the bodies of an older
attempt (its dispatching task was redelivered, or the run was sent again once abandoned) find it changed and
do nothing. A step redelivered after its transaction committed finds itself done. A chord counts completed
tasks, not distinct steps, so each body first does any step of its chord not done yet itself.
"""
import math
import re
import time
from datetime import datetime

from django.db import OperationalError, connection, transaction
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
from portal.planner import local_setting

UNIT_PARTS = 8  # parts per plan for its units: enough for a few workers to end together
MIN_PART_UNITS = 10  # below that a part's fixed work (reading the plan, its targets, its reads) outweighs the share
MAX_PART_UNITS = 500  # beyond that a plan gets more parts, so a part's memory and time stay bounded
PREFIX = "indicators_staged_run_"
LOCK_WAIT = "200ms"  # the longest a reader of the snapshot waits behind the swap's lock on it, each time it asks


def staging_tables(run_id: int) -> tuple[str, str, str]:
    """The run's staged rows, the steps done (and the rows each plan's step inserted), the new snapshot."""
    return f"{PREFIX}{int(run_id)}", f"{PREFIX}{int(run_id)}_parts", f"{PREFIX}{int(run_id)}_new"


def dashboards_spread(*, run: DashboardRun) -> dict | None:
    """Prepare a claimed full run to be spread: empty staging tables, its steps, the waiting runs it covers.

    Returns the arguments of its chords ({"attempt", "parts", "covered"}), or None when there is no plan. Each
    step names its chord (`layer`): the parts (0); on PostgreSQL each plan's ranked rows (1), then each index
    and the statistics of the new snapshot (2). A step is sent once every step of the layers before it is done
    (`after` of them: the steps come in the order of their layers).
    """
    plans = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    if not plans:
        return None
    drop_stale_staging()
    create_staging(run.pk)
    # The waiting runs whose changes every part reads: those recorded before any part starts.
    covered = cover_waiting_runs(run)
    parts = [{"layer": 0, "plan": plan_id, "units": None} for plan_id in plans]  # the aggregates: the country
    parts += [{"layer": 0, "plan": plan_id, "units": bounds} for plan_id in plans for bounds in unit_ranges()]
    if connection.vendor == "postgresql":
        parts += [{"layer": 1, "rank": plan_id} for plan_id in plans]
        parts += [{"layer": 2, "build": name, "primary": primary} for name, primary in snapshot_indexes()]
        parts += [{"layer": 2, "analyze": True}]
    for index, part in enumerate(parts):
        part["index"] = index
        part["after"] = sum(other["layer"] < part["layer"] for other in parts)
    DashboardRun.objects.filter(pk=run.pk).update(steps_done=0, steps_total=len(parts) + 1)
    return {"attempt": run.started_at.isoformat(), "parts": parts, "covered": covered}


def unit_ranges() -> list[list[int | None]]:
    """[from id, to id) of each part of a plan's units, of equal size; the first and last open-ended. UNIT_PARTS
    parts, fewer for a small country (each of at least MIN_PART_UNITS units), more for a large one (each of at most
    MAX_PART_UNITS)."""
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    count = max(1, min(UNIT_PARTS, len(ids) // MIN_PART_UNITS), math.ceil(len(ids) / MAX_PART_UNITS))
    starts = sorted({ids[len(ids) * i // count] for i in range(1, count) if ids})
    bounds = [None, *starts, None]
    return [[bounds[i], bounds[i + 1]] for i in range(len(bounds) - 1)]


def attempt_of(run_id: int, attempt: str):
    """The run, if this attempt still holds it."""
    return DashboardRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, started_at=datetime.fromisoformat(attempt))


def dashboards_stage(*, run_id: int, attempt: str, part: dict) -> bool:
    """Do one step of a spread run (compute a part and stage its rows, rank a plan's, build an index), in one
    transaction; False if it had nothing to do (done already, or the attempt is over)."""
    run = attempt_of(run_id, attempt).first()
    if run is None:
        return False
    done = staging_tables(run_id)[1]
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # waits for a twin of this part still at work, then finds it done
                cursor.execute(f"INSERT INTO {done} (part) VALUES (%s) ON CONFLICT DO NOTHING", [part["index"]])
                if not cursor.rowcount:
                    return False
                cursor.execute(f"SELECT count(*) FROM {done} WHERE part < %s", [part["after"]])
                if cursor.fetchone()[0] < part["after"]:  # sent too early: the next body does it in its turn
                    transaction.set_rollback(True)
                    return False
            do_step(run, part)
            if not attempt_of(run_id, attempt).update(steps_done=F("steps_done") + 1):
                transaction.set_rollback(True)  # a newer attempt has the run
                return False
    except Exception as error:
        dashboard_run_failed(run_id, error, status=RunStatus.RUNNING, started_at=run.started_at)
        raise
    return True


def do_step(run: DashboardRun, part: dict):
    table, done, new = staging_tables(run.pk)
    with connection.cursor() as cursor:
        if "rank" in part:
            # The staging table has no statistics (an ANALYZE would hold the other plans' steps until this one
            # commits): one plan's rows would look like a few, and a nested loop over them take minutes. Left off
            # after the step, every later query of a caller's transaction would look so costly that PostgreSQL
            # compiles it (JIT), a tenth of a second each.
            with local_setting(cursor, "enable_nestloop", "off"):
                rows = snapshot.insert_ranked(table, into=new, plan_id=part["rank"])
            cursor.execute(f"UPDATE {done} SET rows = %s WHERE part = %s", [rows, part["index"]])
        elif "build" in part:
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [part["build"]])
            definition = cursor.fetchone()[0]
            cursor.execute(re.sub(r"^(CREATE (UNIQUE )?INDEX) \S+ ON (ONLY )?\S+ ",
                                  rf"\1 {built_index(run.pk, part)} ON {new} ", definition))
        elif "analyze" in part:
            cursor.execute(f"ANALYZE {new}")
        elif (plan := Plan.objects.select_related("baseline").filter(pk=part["plan"]).first()) is not None:
            snapshot.write_rows(part_rows(plan, run, part["units"]), table)


def built_index(run_id: int, part: dict) -> str:
    return f"{staging_tables(run_id)[2]}_{part['index']}"


def snapshot_indexes() -> list[tuple[str, bool]]:
    """(name, whether it is the primary key's) of each index of the snapshot table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname, i.indisprimary FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                       "WHERE i.indrelid = %s::regclass ORDER BY c.relname", [IndicatorValue._meta.db_table])
        return cursor.fetchall()


def part_rows(plan, run, bounds):
    if bounds is None:
        return plan_rows(plan, run=run, reads=RunReads([plan]), units=Unit.objects.none())
    units = Unit.objects.all()
    if bounds[0] is not None:
        units = units.filter(pk__gte=bounds[0])
    if bounds[1] is not None:
        units = units.filter(pk__lt=bounds[1])
    return plan_rows(plan, run=run, reads=None, units=units)


def dashboards_complete(*, run_id: int, attempt: str, parts: list[dict]) -> bool:
    """Do any of these steps not done yet (in their order); whether the attempt still holds the run."""
    if not attempt_of(run_id, attempt).exists():
        return False
    for part in parts_missing(run_id, parts):
        dashboards_stage(run_id=run_id, attempt=attempt, part=part)
    return True


def dashboards_swap(*, run_id: int, attempt: str, parts: list[dict], covered: list[int]) -> DashboardRun | None:
    """The last chord's body: the new snapshot replaces the old one in one transaction."""
    if not dashboards_complete(run_id=run_id, attempt=attempt, parts=parts):
        return None
    table, done, _ = staging_tables(run_id)
    started_at = datetime.fromisoformat(attempt)
    try:
        with transaction.atomic():
            take_lock()
            run = attempt_of(run_id, attempt).select_for_update().first()
            if run is None:
                return None
            written = replace_snapshot(run_id, parts)
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


def replace_snapshot(run_id: int, parts: list[dict]) -> int:
    """Put the run's rows in the snapshot's place (in the caller's transaction); how many."""
    if connection.vendor != "postgresql":
        IndicatorValue.objects.all().delete()
        return insert_staged(staging_tables(run_id)[0])
    _, done, new = staging_tables(run_id)
    snapshot_table = IndicatorValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(sum(rows), 0) FROM {done}")
        written = cursor.fetchone()[0]
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')",
                       [snapshot_table, new])
        sequence, new_sequence = cursor.fetchone()
        lock_for_swap(snapshot_table)
        cursor.execute(f"DROP TABLE {snapshot_table}")
        cursor.execute(f"ALTER TABLE {new} RENAME TO {snapshot_table}")
        cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {sequence.split('.')[-1]}")
        for part in parts:
            if part.get("primary"):
                cursor.execute(f"ALTER TABLE {snapshot_table} ADD CONSTRAINT {part['build']} "
                               f"PRIMARY KEY USING INDEX {built_index(run_id, part)}")
            elif "build" in part:
                cursor.execute(f"ALTER INDEX {built_index(run_id, part)} RENAME TO {part['build']}")
    return written


def insert_staged(table: str) -> int:
    """Insert the staged rows into the snapshot, then rank them (SQLite); how many."""
    columns = ", ".join(name for name in snapshot.Row._fields if not name.startswith("rank_"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {IndicatorValue._meta.db_table} ({columns}) SELECT {columns} FROM {table}")
        written = cursor.rowcount
    for plan in Plan.objects.all():
        snapshot.rank_rows(plan)
    return written


def lock_for_swap(table: str):
    """Take the snapshot table for the swap, asking again while readers hold it, so that no reader queued
    behind the swap's request waits longer than LOCK_WAIT each time."""
    while True:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
                return
        except OperationalError as error:
            if getattr(error.__cause__, "pgcode", None) != "55P03":  # lock_not_available
                raise
            time.sleep(0.05)


def redo_changes_landed_meanwhile(run: DashboardRun):
    """A run that finished while the parts were being computed stored a change some part may have read before
    it was made; the swap has just replaced its rows, so its unit (or everything) is computed again after."""
    landed = DashboardRun.objects.filter(status=RunStatus.SUCCEEDED, finished_at__gte=run.started_at)
    for unit, trigger in {(r.unit, r.trigger) for r in landed.exclude(pk=run.pk).select_related("unit")}:
        dashboards_request_recompute(unit=unit, trigger=trigger)


def create_staging(run_id: int):
    table, done, new = staging_tables(run_id)
    source = IndicatorValue._meta.db_table
    with connection.cursor() as cursor:
        for name in (table, done, new):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE UNLOGGED TABLE {table} (LIKE {source})")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY")
            cursor.execute(f"CREATE UNLOGGED TABLE {done} (part integer PRIMARY KEY, rows integer)")
            # Logged: it becomes the snapshot. Its indexes are built once its rows are in.
            cursor.execute(f"CREATE TABLE {new} (LIKE {source} INCLUDING ALL EXCLUDING INDEXES)")
        else:
            cursor.execute(f"CREATE TABLE {table} AS SELECT * FROM {source} WHERE 0")
            cursor.execute(f"CREATE TABLE {done} (part integer PRIMARY KEY, rows integer)")


def drop_stale_staging():
    """Drop the staging tables of runs no longer running (failed, or left by a crash)."""
    running = set(DashboardRun.objects.filter(status=RunStatus.RUNNING).values_list("pk", flat=True))
    stale = [name for name in connection.introspection.table_names()
             if name.startswith(PREFIX) and int(name[len(PREFIX):].split("_")[0]) not in running]
    with connection.cursor() as cursor:
        for name in stale:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")

"""Measure 6: A full computation spread over Celery workers: one worker process, then two, on the same data.

The run is recorded and sent as the portal sends it (the `compute_dashboards` task) to real `celery worker`
processes of this benchmark's own (solo pool: one task at a time each, as a worker with concurrency 1), and
timed from its recording to its end as the run records them, so polling adds nothing. Two workers should take
at most 0.65 of one worker's time: the parts, each plan's ranked rows and each index of the new snapshot are
computed side by side; only the swap that renames it in is not.
"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

TARGET = 0.65
ROOT = Path(__file__).resolve().parents[1]


def measure_spread(row, *, log=print, env=None, timeout: float = 3600) -> None:
    """Time one full run with one worker, then with two; `env` is added to the workers' environment."""
    seconds_one, one = spread_run(workers=1, env=env, timeout=timeout, log=log)
    seconds_two, two = spread_run(workers=2, env=env, timeout=timeout, log=log)
    note = f"{two.rows} rows, {two.steps_total - 1} parts; 1 个 worker: {one.rows} rows"
    row("分布式全量计算（1 个 worker）", seconds_one, "s", note=f"{one.steps_total - 1} parts")
    row("分布式全量计算（2 个 worker）", seconds_two, "s", baseline_value=seconds_one, ratio=seconds_two / seconds_one,
        target=f"≤ {TARGET}", met=seconds_two <= TARGET * seconds_one, note=note)


def spread_run(*, workers: int, env=None, timeout: float, log=print):
    """(seconds, run) of one full run computed by `workers` worker processes started for it."""
    from indicators.choices import RunStatus, RunTrigger
    from indicators.models import DashboardRun
    from indicators.services import dashboard_run_create
    from indicators.tasks import compute_dashboards
    from portal.celery import app

    log(f"spread run on {workers} worker(s) …")
    if others := app.control.ping(timeout=1):  # it would take parts too: the run would not be on `workers`
        raise RuntimeError(f"another Celery worker listens on this broker: {others}")
    app.control.purge()  # nothing left over from an interrupted run may take a worker's time
    vacuum_snapshot()
    started = start_workers(workers, env or {})
    try:
        run = dashboard_run_create(trigger=RunTrigger.MANUAL)
        compute_dashboards.delay(run.pk)
        deadline = time.monotonic() + timeout
        while (run := DashboardRun.objects.get(pk=run.pk)).status in (RunStatus.PENDING, RunStatus.RUNNING):
            if time.monotonic() > deadline or any(worker.poll() is not None for worker in started):
                raise RuntimeError(f"spread run {run.pk} did not finish: {run.status} {run.steps_done}/"
                                   f"{run.steps_total}")
            time.sleep(0.2)
    finally:
        stop_workers(started)
    if run.status != RunStatus.SUCCEEDED:
        raise RuntimeError(f"spread run {run.pk} {run.status}: {run.error}")
    return (run.finished_at - run.created_at).total_seconds(), run


def vacuum_snapshot() -> None:
    """Each run replaces every row of the snapshot; each measured run starts from the table as autovacuum leaves
    it between two nightly runs, not with the previous run's dead rows still in its indexes."""
    from django.db import connection

    from indicators.models import IndicatorValue

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {IndicatorValue._meta.db_table}")


def start_workers(count: int, env: dict) -> list[subprocess.Popen]:
    """`count` worker processes on this database and broker, each answering a ping."""
    from portal.celery import app

    environment = os.environ | {"DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                         "bench.settings")} | env
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    workers = [
        subprocess.Popen(  # noqa: S603 (a fixed command line)
            [celery, "-A", "portal", "worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
             "--without-mingle", "-n", f"bench-spread-{index}-{os.getpid()}@%h"],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
            # A session of its own, as a service manager starts a worker: Linux's autogroup scheduling shares
            # the CPU between sessions, so two workers of one session would get no more CPU than one.
            start_new_session=True,
        )
        for index in range(count)
    ]
    deadline = time.monotonic() + 120
    while len(app.control.ping(timeout=0.5)) < count:
        if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
            stop_workers(workers)
            raise RuntimeError(f"{count} Celery worker(s) did not start (broker {settings.CELERY_BROKER_URL})")
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

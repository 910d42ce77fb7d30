"""Writes of the dashboard snapshot: record a run, compute it, replace the rows in one locked transaction.

A computation rebuilds its rows from the approved figures; running it twice gives the same rows.
Two computations never interleave: the whole replacement happens in one transaction behind a lock
(a PostgreSQL advisory lock; SQLite lets one writer in at a time anyway), so a reader sees the old
set or the new one, never half of each.
"""
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from districts.models import Period, Unit
from indicators import snapshot
from indicators.choices import RunStatus, RunTrigger, Scope
from indicators.computation import RunReads, groups_fed_by, plan_rows, step_count
from indicators.models import DashboardRun, IndicatorValue, Plan
from indicators.signals import dashboards_computed

logger = logging.getLogger(__name__)

LOCK_KEY = 4_202_211  # advisory lock id of the dashboard snapshot


def dashboard_run_create(*, trigger: str, unit: Unit | None = None, period: Period | None = None,
                         requested_by=None) -> DashboardRun:
    run = DashboardRun(trigger=trigger, unit=unit, period=period, requested_by=requested_by)
    run.full_clean()
    run.save()
    return run


def dashboard_run_claim(*, run_id: int, redelivered: bool = False) -> DashboardRun | None:
    """Take a pending run for this worker; None if it is gone, finished, or another worker took it.

    A `redelivered` task's first attempt died (the broker's visibility timeout exceeds the task's time
    limit, so no live attempt is redelivered): its claim committed but its transaction rolled back,
    leaving the run RUNNING with no worker, so a running run is taken again.
    """
    claimable = [RunStatus.PENDING, RunStatus.RUNNING] if redelivered else [RunStatus.PENDING]
    claimed = DashboardRun.objects.filter(pk=run_id, status__in=claimable).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    return DashboardRun.objects.get(pk=run_id) if claimed else None


def dashboards_compute(*, run: DashboardRun, progress=None) -> DashboardRun:
    """Compute the snapshot rows of every plan (or only `run.unit` and its aggregates) and store them.

    `progress(done, total)` is called after each indicator's aggregates and each batch of units of each plan.
    """
    run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
    run.save(update_fields=["status", "started_at", "error"])
    plans = list(Plan.objects.select_related("baseline"))
    total = len(plans) * step_count(run.unit)
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)
        if done % 5 == 0 or done == total:
            DashboardRun.objects.filter(pk=run.pk).update(steps_done=done, steps_total=total)

    try:
        with transaction.atomic():
            take_lock()
            written, reads = 0, RunReads(plans) if plans else None
            for plan in plans:
                written += replace_rows(plan, run, reads, step)
            # A city row is stamped with the latest save in any group, so it is the latest of the run's rows.
            run.data_updated_at = IndicatorValue.objects.filter(run=run, scope=Scope.CITY).aggregate(
                at=Max("data_updated_at"))["at"]
            run.status, run.rows, run.finished_at = RunStatus.SUCCEEDED, written, timezone.now()
            run.steps_done, run.steps_total = total, total
            run.save()
            transaction.on_commit(lambda: dashboards_computed.send(sender=DashboardRun, run=run))
    except Exception as error:
        logger.exception("dashboard run %s failed", run.pk)
        DashboardRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"
        )
        raise
    return run


def take_lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def replace_rows(plan, run: DashboardRun, reads: RunReads, step) -> int:
    """Delete this plan's rows that the run replaces, write the new ones as they are computed, rank them.

    A full run ranks every (indicator, quarter) of the plan. A one-unit run keeps the unit's previous ranks
    where its value is unchanged and re-ranks only the (indicator, quarter) where it changed.
    """
    unit = run.unit
    stale = IndicatorValue.objects.filter(plan=plan)
    if unit is None:
        stale.delete()
        return snapshot.write_ranked(plan, plan_rows(plan, run=run, reads=reads, progress=step))
    previous = {
        (indicator_id, period_id): (value, ranks)
        for indicator_id, period_id, value, *ranks in stale.filter(unit=unit).values_list(
            "indicator_id", "period_id", "value", "rank_all", "rank_in_group"
        )
    }
    stale.filter(Q(unit=unit) | Q(group_id__in=groups_fed_by(unit)) | Q(scope=Scope.CITY)).delete()
    changed = set()

    def keep_unchanged_ranks(row):
        if row.unit_id is None:
            return row
        partition = (row.indicator_id, row.period_id)
        value, ranks = previous.get(partition, (None, (None, None)))
        same = (value is None) == (row.value is None) and (value is None or value == Decimal(str(row.value)))
        if same:
            return row._replace(rank_all=ranks[0], rank_in_group=ranks[1])
        changed.add(partition)
        return row

    rows = plan_rows(plan, run=run, reads=reads, only_unit=unit, progress=step)
    written = snapshot.write_rows(map(keep_unchanged_ranks, rows))
    if changed:
        snapshot.rank_rows(plan, partitions=changed)
    return written


def dashboards_request_recompute(*, unit: Unit, period: Period, trigger: str = RunTrigger.APPROVAL) -> DashboardRun:
    """Record a pending run for a unit and enqueue it after commit; a broker that is down leaves it pending.

    Data entry must go on when Redis or the worker is down: the dashboards then say newer data waits.
    """
    queued = DashboardRun.objects.filter(status=RunStatus.PENDING, unit=unit, started_at__isnull=True, error="")
    if queued.exists():  # it has not started, so it will read this change too
        return queued.first()
    run = dashboard_run_create(trigger=trigger, unit=unit, period=period)
    transaction.on_commit(lambda: _enqueue(run))
    return run


def dashboard_runs_enqueue_waiting() -> int:
    """Enqueue again the pending runs whose task could not be sent (the broker was down) and the runs a dead
    worker left running with no task to redo them; how many were sent.

    The beat schedule calls this every few minutes, so an approval made while Redis was down is computed
    soon after Redis is back, not only by the nightly run. A dead worker's task is normally redelivered
    after the broker's visibility timeout; once that and a whole attempt's time limit have passed, its task
    was lost (Redis restarted, keeping nothing) or was a nightly run, which a redelivered task redoes as a
    new run, and the run would stay "running" for ever.
    """
    DashboardRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=timezone.now() - abandoned_after()).update(
        status=RunStatus.PENDING, started_at=None, error="计算进程中断，重新提交"
    )
    waiting = DashboardRun.objects.filter(status=RunStatus.PENDING, started_at__isnull=True).exclude(error="")
    sent = 0
    for run in waiting:
        DashboardRun.objects.filter(pk=run.pk).update(error="")
        sent += _enqueue(run)
    return sent


def abandoned_after() -> timedelta:
    """How long a run can stay running with a live attempt: until redelivery, then one attempt's time limit."""
    return timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
                     + settings.CELERY_TASK_TIME_LIMIT)


def _enqueue(run: DashboardRun) -> bool:
    """Send the run's task; if the broker is down, note it on the run, which stays pending."""
    from indicators.tasks import compute_dashboards

    try:
        compute_dashboards.delay(run.pk)
    except OperationalError as error:  # kombu's wrapper of the broker's connection errors
        logger.warning("dashboard run %s stays pending: %s", run.pk, error)
        DashboardRun.objects.filter(pk=run.pk).update(error=f"未能提交计算任务（消息队列不可用）：{error}")
        return False
    return True

"""Writes of the dashboard snapshot: record a run, compute it, replace the rows in one locked transaction.

A computation rebuilds its rows from the approved figures; running it twice gives the same rows.
Two computations never interleave: the whole replacement happens in one transaction behind a lock
(a PostgreSQL advisory lock; SQLite lets one writer in at a time anyway), so a reader sees the old
set or the new one, never half of each.
"""
import logging

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from districts.models import Period, Unit
from indicators.choices import RunStatus, RunTrigger, Scope
from indicators.computation import plan_rows
from indicators.models import DashboardRun, Indicator, IndicatorValue, Plan

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

    `progress(done, total)` is called after each indicator of each plan.
    """
    run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
    run.save(update_fields=["status", "started_at", "error"])
    plans = list(Plan.objects.select_related("baseline"))
    total = len(plans) * Indicator.objects.count()
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
            written = 0
            for plan in plans:
                rows = plan_rows(plan, run=run, only_unit=run.unit, progress=step)
                written += replace_rows(plan, rows, run.unit)
                rank_rows(plan)
            run.data_updated_at = IndicatorValue.objects.filter(run=run).aggregate(at=Max("data_updated_at"))["at"]
            run.status, run.rows, run.finished_at = RunStatus.SUCCEEDED, written, timezone.now()
            run.steps_done, run.steps_total = total, total
            run.save()
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


def replace_rows(plan, rows: list[IndicatorValue], unit: Unit | None) -> int:
    """Delete this plan's rows that the new rows replace, then insert them (same transaction)."""
    stale = IndicatorValue.objects.filter(plan=plan)
    if unit is not None:
        groups = {row.group_id for row in rows if row.group_id}
        stale = stale.filter(Q(unit=unit) | Q(group_id__in=groups) | Q(scope=Scope.CITY))
    stale.delete()
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


RANK_SQL = """
UPDATE indicators_indicatorvalue SET rank_all = ranked.rank_all, rank_in_group = ranked.rank_in_group
FROM (
    SELECT id,
           RANK() OVER (PARTITION BY indicator_id, period_id ORDER BY sort_key) AS rank_all,
           RANK() OVER (PARTITION BY indicator_id, period_id, group_id ORDER BY sort_key) AS rank_in_group
    FROM (
        SELECT v.id, v.indicator_id, v.period_id, u.group_id,
               CASE WHEN i.direction = 'down' THEN v.value ELSE -v.value END AS sort_key
        FROM indicators_indicatorvalue v
        JOIN districts_unit u ON u.id = v.unit_id
        JOIN indicators_indicator i ON i.id = v.indicator_id
        WHERE v.plan_id = %s AND v.value IS NOT NULL
    ) AS keyed
) AS ranked
WHERE indicators_indicatorvalue.id = ranked.id
"""


def rank_rows(plan):
    """Rank units by value per indicator and quarter, among all units and within their group, in one UPDATE.

    A window function in the database ranks every unit row of the plan (competition ranks: 1, 2, 2, 4),
    so a recompute of one unit also moves the others' ranks.
    """
    with connection.cursor() as cursor:
        cursor.execute(RANK_SQL, [plan.pk])


def dashboards_request_recompute(*, unit: Unit, period: Period, trigger: str = RunTrigger.APPROVAL) -> DashboardRun:
    """Record a pending run for a unit and enqueue it after commit; a broker that is down leaves it pending.

    Data entry must go on when Redis or the worker is down: the dashboards then say newer data waits.
    """
    from indicators.tasks import compute_dashboards

    queued = DashboardRun.objects.filter(status=RunStatus.PENDING, unit=unit, started_at__isnull=True, error="")
    if queued.exists():  # it has not started, so it will read this change too
        return queued.first()
    run = dashboard_run_create(trigger=trigger, unit=unit, period=period)

    def enqueue():
        try:
            compute_dashboards.delay(run.pk)
        except OperationalError as error:  # kombu's wrapper of the broker's connection errors
            logger.warning("dashboard run %s stays pending: %s", run.pk, error)
            DashboardRun.objects.filter(pk=run.pk).update(error=f"未能提交计算任务（消息队列不可用）：{error}")

    transaction.on_commit(enqueue)
    return run

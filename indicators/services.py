"""Writes of the dashboard snapshot: record a run, compute it, replace the rows in one locked transaction.

A computation rebuilds its rows from the approved figures; running it twice gives the same rows.
Two computations never interleave: the whole replacement happens in one transaction behind a lock
(a PostgreSQL advisory lock; SQLite lets one writer in at a time anyway), so a reader sees the old
set or the new one, never half of each.
"""
import logging

from django.db import connection, transaction
from django.db.models import F, Max, Q, Window
from django.db.models.functions import Rank
from django.utils import timezone
from kombu.exceptions import OperationalError

from districts.models import Period, Unit
from indicators.choices import Direction, RunStatus, RunTrigger, Scope
from indicators.computation import plan_rows
from indicators.models import DashboardRun, Indicator, IndicatorValue, Plan

logger = logging.getLogger(__name__)

LOCK_KEY = 4_202_211  # advisory lock id of the dashboard snapshot
RANK_FIELDS = ["rank_all", "rank_in_group"]


def dashboard_run_create(*, trigger: str, unit: Unit | None = None, period: Period | None = None,
                         requested_by=None) -> DashboardRun:
    run = DashboardRun(trigger=trigger, unit=unit, period=period, requested_by=requested_by)
    run.full_clean()
    run.save()
    return run


def dashboards_compute(*, run: DashboardRun, progress=None) -> DashboardRun:
    """Compute the snapshot rows of every plan (or only `run.unit` and its aggregates) and store them.

    `progress(done, total)` is called after each indicator of each plan.
    """
    DashboardRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now(), error="")
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


def rank_rows(plan):
    """Rank units by value per indicator and quarter, among all units and within their group, in the database."""
    for direction in Direction.values:
        order = F("value").desc() if direction == Direction.UP else F("value").asc()
        ranked = (
            IndicatorValue.objects.filter(plan=plan, scope=Scope.UNIT, value__isnull=False,
                                          indicator__direction=direction)
            .annotate(
                new_all=Window(Rank(), partition_by=[F("indicator_id"), F("period_id")], order_by=order),
                new_group=Window(
                    Rank(), partition_by=[F("indicator_id"), F("period_id"), F("unit__group_id")], order_by=order
                ),
            )
            .only("pk", *RANK_FIELDS)
        )
        changed = []
        for row in ranked:
            if (row.rank_all, row.rank_in_group) != (row.new_all, row.new_group):
                row.rank_all, row.rank_in_group = row.new_all, row.new_group
                changed.append(row)
        IndicatorValue.objects.bulk_update(changed, RANK_FIELDS, batch_size=2000)


def dashboards_request_recompute(*, unit: Unit, period: Period, trigger: str = RunTrigger.APPROVAL) -> DashboardRun:
    """Record a pending run for a unit and enqueue it after commit; a broker that is down leaves it pending.

    Data entry must go on when Redis or the worker is down: the dashboards then say newer data waits.
    """
    from indicators.tasks import compute_dashboards

    run = dashboard_run_create(trigger=trigger, unit=unit, period=period)

    def enqueue():
        try:
            compute_dashboards.delay(run.pk)
        except OperationalError as error:  # kombu's wrapper of the broker's connection errors
            logger.warning("dashboard run %s stays pending: %s", run.pk, error)
            DashboardRun.objects.filter(pk=run.pk).update(error=f"未能提交计算任务（消息队列不可用）：{error}")

    transaction.on_commit(enqueue)
    return run

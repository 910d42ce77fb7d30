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

from districts.models import Period, Unit
from indicators import snapshot
from indicators.choices import RunStatus, RunTrigger, Scope
from indicators.computation import RunReads, groups_fed_by, plan_rows, step_count
from indicators.models import DashboardRun, Indicator, IndicatorValue, Plan
from indicators.signals import dashboards_computed
from portal.celery import send

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
        covered = cover_waiting_runs(run)
        with transaction.atomic():
            take_lock()
            written, reads = 0, RunReads(plans) if plans else None
            only_unit = run.unit if run.unit_id is None or not approved_range_moved(plans, reads) else None
            for plan in plans:
                written += replace_rows(plan, run, only_unit, reads, step)
            dashboard_run_succeeded(run, rows=written, steps=total, covered=covered)
    except Exception as error:
        dashboard_run_failed(run.pk, error)
        raise
    return run


def dashboard_run_succeeded(run: DashboardRun, *, rows: int, steps: int, covered: list[int]):
    """Record a run's end inside the transaction that stored its rows; the runs it took over end with it."""
    # A city row is stamped with the latest save in any group, so it is the latest of the run's rows.
    run.data_updated_at = IndicatorValue.objects.filter(run=run, scope=Scope.CITY).aggregate(
        at=Max("data_updated_at"))["at"]
    run.status, run.rows, run.finished_at = RunStatus.SUCCEEDED, rows, timezone.now()
    run.steps_done, run.steps_total = steps, steps
    run.save()
    DashboardRun.objects.filter(pk__in=covered, superseded_by=run).update(finished_at=run.finished_at)
    transaction.on_commit(lambda: dashboards_computed.send(sender=DashboardRun, run=run))


def dashboard_run_failed(run_id: int, error: Exception, **still):
    """Mark the run failed with the error (only while it matches `still`, e.g. the attempt that failed); the runs it
    had taken over wait again, for the sweep (`dashboard_runs_enqueue_waiting`) to send."""
    logger.exception("dashboard run %s failed", run_id)
    if DashboardRun.objects.filter(pk=run_id, **still).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"):
        DashboardRun.objects.filter(superseded_by_id=run_id, status=RunStatus.SUPERSEDED).update(
            status=RunStatus.PENDING, superseded_by=None, finished_at=None, error=f"计算 #{run_id} 失败，待重新提交")


def waiting_runs():
    """Runs recorded and not started yet (whether or not their task could be sent)."""
    return DashboardRun.objects.filter(status=RunStatus.PENDING, started_at__isnull=True)


def cover_waiting_runs(run: DashboardRun) -> list[int]:
    """Take over the waiting runs this run does the work of (all of them for a full run, the same unit's for a
    one-unit run): they are marked superseded by it, in a transaction of their own committed before the run reads
    any figure. A change made after that finds no waiting run to join and records its own. A waiting run that a
    change still being saved has joined is locked (`dashboards_request_recompute`): it is left to its own task,
    which reads that change once committed. Returns their ids."""
    with transaction.atomic():
        waiting = waiting_runs().exclude(pk=run.pk)
        if run.unit_id is not None:
            waiting = waiting.filter(unit_id=run.unit_id)
        covered = list(waiting.select_for_update(skip_locked=True).values_list("pk", flat=True))
        DashboardRun.objects.filter(pk__in=covered).update(
            status=RunStatus.SUPERSEDED, superseded_by=run, error=f"由计算 #{run.pk} 一并完成")
    return covered


def take_lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def approved_range_moved(plans, reads: RunReads | None) -> bool:
    """Whether the latest quarter approved anywhere (`reads.latest`) differs from the one the stored snapshot was
    computed with: the latest quarter of a unit row marked approved (of the earliest plan's first indicator, read
    through the overview's index). Every unit's rows run to that quarter (platform counts have values up to it), so
    a one-unit run cannot follow such a move: the run then computes everything."""
    indicator = Indicator.objects.first()
    if not plans or reads.latest is None or indicator is None:
        return True
    plan = min(plans, key=lambda p: p.baseline.ordinal)
    marked = IndicatorValue.objects.filter(plan=plan, indicator=indicator, scope=Scope.UNIT, units_reporting__gt=0)
    latest = Period.objects.filter(ordinal=reads.latest).values("pk")
    later = Period.objects.filter(ordinal__gt=reads.latest).values("pk")
    return not marked.filter(period__in=latest).exists() or marked.filter(period__in=later).exists()


def replace_rows(plan, run: DashboardRun, unit: Unit | None, reads: RunReads, step) -> int:
    """Delete this plan's rows that the run replaces (all, or `unit`'s and the aggregates it feeds), write the new
    ones as they are computed, rank them.

    A full run ranks every (indicator, quarter) of the plan. A one-unit run keeps the unit's previous ranks
    where its value and approval are unchanged and re-ranks only the (indicator, quarter) where they changed.
    """
    stale = IndicatorValue.objects.filter(plan=plan)
    if unit is None:
        stale.delete()
        return snapshot.write_ranked(plan, plan_rows(plan, run=run, reads=reads, progress=step))
    previous = {
        (indicator_id, period_id): (value, reporting, ranks)
        for indicator_id, period_id, value, reporting, *ranks in stale.filter(unit=unit).values_list(
            "indicator_id", "period_id", "value", "units_reporting", "rank_all", "rank_in_group"
        )
    }
    stale.filter(Q(unit=unit) | Q(group_id__in=groups_fed_by(unit)) | Q(scope=Scope.CITY)).delete()
    changed = set()

    def keep_unchanged_ranks(row):
        if row.unit_id is None:
            return row
        partition = (row.indicator_id, row.period_id)
        value, reporting, ranks = previous.get(partition, (None, 0, (None, None)))
        same = (value is None) == (row.value is None) and (value is None or value == Decimal(str(row.value)))
        same = same and reporting == row.units_reporting  # an approval ranks a unit, a reopening unranks it
        if same:
            return row._replace(rank_all=ranks[0], rank_in_group=ranks[1])
        changed.add(partition)
        return row

    rows = plan_rows(plan, run=run, reads=reads, only_unit=unit, progress=step)
    written = snapshot.write_rows(map(keep_unchanged_ranks, rows))
    if changed:
        snapshot.rank_rows(plan, partitions=changed)
    return written


def dashboards_request_recompute(*, unit: Unit | None, period: Period | None = None,
                                 trigger: str = RunTrigger.APPROVAL) -> DashboardRun:
    """Record a pending run for a unit (or for everything: `unit` None) and enqueue it after commit; a broker that
    is down leaves it pending. indicators/receivers.py calls this for every change that moves a number.

    Data entry must go on when Redis or the worker is down: the dashboards then say newer data waits.
    """
    with transaction.atomic():
        queued = waiting_runs().filter(error="", unit=unit).select_for_update()
        # It has not started, so it will read this change too; locked until this change commits, so no run takes
        # it over before then (`cover_waiting_runs`).
        if existing := queued.order_by("pk").first():
            return existing
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

    if (error := send(compute_dashboards, run.pk)) is not None:
        DashboardRun.objects.filter(pk=run.pk).update(error=f"未能提交计算任务（消息队列不可用）：{error}")
        return False
    return True

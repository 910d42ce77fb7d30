"""Reads the dashboards reuse: the latest run, whether newer data waits, and quotas that do not add up."""
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from districts.choices import SubmissionState
from districts.models import Submission
from indicators.choices import RunStatus, Scope
from indicators.models import DashboardRun


@dataclass(frozen=True)
class QuotaGap:
    """Targets set below a city target that do not add up to it (the quotas are data, so this happens)."""

    indicator: object
    period: object
    city_target: Decimal
    parts: str  # "unit" quotas or "group" targets
    count: int
    total: Decimal

    @property
    def gap(self) -> Decimal:
        return self.total - self.city_target


def quota_gaps(plan) -> list[QuotaGap]:
    city = {
        (t.indicator_id, t.period_id): t
        for t in plan.targets.filter(scope=Scope.CITY).select_related("indicator", "period")
    }
    gaps = []
    unit_sums = (
        plan.targets.filter(scope=Scope.UNIT, unit__counts_toward_city_total=True)
        .values("indicator_id", "period_id").annotate(total=Sum("value"), n=Count("pk"))
    )
    for row in unit_sums:
        target = city.get((row["indicator_id"], row["period_id"]))
        if target and row["total"] != target.value:
            gaps.append(QuotaGap(target.indicator, target.period, target.value, "unit", row["n"], row["total"]))
    group_targets = {}
    for target in plan.targets.filter(scope=Scope.GROUP).select_related("group"):
        group_targets.setdefault((target.indicator_id, target.period_id), []).append(target)
    for key, targets in group_targets.items():
        targeted = {t.group_id for t in targets}
        # Only the top-most targeted groups: a subgroup's target is already inside its parent's.
        top = [t for t in targets if not targeted & ancestors(t.group)]
        target = city.get(key)
        total = sum((t.value for t in top), Decimal(0))
        if target and total != target.value:
            gaps.append(QuotaGap(target.indicator, target.period, target.value, "group", len(top), total))
    return gaps


def ancestors(group) -> set[int]:
    found = set()
    while group.parent_id:
        found.add(group.parent_id)
        group = group.parent
    return found


def latest_run(**filters) -> DashboardRun | None:
    return DashboardRun.objects.filter(status=RunStatus.SUCCEEDED, **filters).order_by("-finished_at").first()


def newer_data_waiting(run: DashboardRun | None) -> bool:
    """True while a change that moves a number is not in the snapshot yet: some run requested for it (pending,
    running or failed) has no succeeded run of its scope (everything, or its unit) started after it was requested.
    Every such change requests a run (indicators/receivers.py)."""
    if run is None:
        return Submission.objects.filter(state=SubmissionState.APPROVED).exists()
    return uncovered_requests().exists()


def uncovered_requests():
    later = DashboardRun.objects.filter(status=RunStatus.SUCCEEDED, started_at__gte=OuterRef("created_at"))
    covering = later.filter(Q(unit__isnull=True) | Q(unit=OuterRef("unit")))
    open_runs = DashboardRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING, RunStatus.FAILED])
    return open_runs.filter(~Exists(covering))


@functools.cache
def dashboard_state_sql() -> tuple[str, tuple]:
    """The query of `dashboard_state`, compiled once per process: building and compiling its subqueries cost more
    than running them (it has no parameter of its own: the run statuses are constants)."""
    latest = (DashboardRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at")
              .annotate(waiting=Exists(uncovered_requests())))
    return latest[:1].query.sql_with_params()


def dashboard_state() -> tuple[DashboardRun | None, bool]:
    """`latest_run()` and `newer_data_waiting()` of it, in one query (two before any run succeeded): what a dashboard
    page reads fresh on every request."""
    run = next(iter(DashboardRun.objects.raw(*dashboard_state_sql())), None)
    if run is None:
        return None, newer_data_waiting(None)
    return run, run.waiting

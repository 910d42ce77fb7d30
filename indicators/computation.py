"""Builds the snapshot rows of one plan: every indicator × quarter × scope (each unit, each group, the city).

Values come from indicators/measures.py (aggregated in the database); this module lays them along the
plan's quarters, finds the target that applies, and asks indicators/progress.py where each stands.
Nothing is written here: indicators/services.py writes the rows in one transaction.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit, UnitGroup
from districts.registry import sections
from indicators import measures
from indicators.choices import Method, Scope
from indicators.models import Indicator, IndicatorValue, Target
from indicators.progress import Goal, annual_growth, assess, to_decimal

SUMS = (Method.STOCK_SUM, Method.FLOW_SUM)


@dataclass
class Place:
    """A scope a row is computed for: the city, a group or a unit."""

    scope: str
    group: UnitGroup | None = None
    unit: Unit | None = None
    units: object = None  # the units it covers (a queryset), for aggregates
    expected: dict = field(default_factory=dict)  # period id -> units that should have reported

    @property
    def key(self):
        return (self.scope, self.group.pk if self.group else None, self.unit.pk if self.unit else None)


@dataclass
class PlanFrame:
    """The quarters and targets of a plan, read once per computation."""

    plan: object
    periods: list[Period]  # baseline .. max(horizon, latest data), the rows' quarters
    data_until: int  # ordinal of the latest quarter with approved data
    fetch: list[Period]  # the quarters whose figures are read: a year before the baseline .. data_until
    targets: dict = field(default_factory=dict)  # (indicator_id, place key) -> targets by period

    @classmethod
    def of(cls, plan):
        latest = Submission.objects.filter(state=SubmissionState.APPROVED).aggregate(o=Max("period__ordinal"))["o"]
        horizon = plan.horizon
        last = max(o for o in (latest, horizon.ordinal if horizon else None, plan.baseline.ordinal) if o)
        periods = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal, ordinal__lte=last))
        data_until = latest or plan.baseline.ordinal
        fetch = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal - 4, ordinal__lte=data_until))
        frame = cls(plan=plan, periods=periods, data_until=data_until, fetch=fetch)
        for target in plan.targets.select_related("period"):
            key = (target.scope, target.group_id, target.unit_id)
            frame.targets.setdefault((target.indicator_id, key), []).append(target)
        for targets in frame.targets.values():
            targets.sort(key=lambda t: t.period.ordinal)
        return frame

    def target_for(self, indicator, place: Place, period: Period) -> Target | None:
        """The next target on or after the period for this place; the last one once all have passed.

        A unit without a quota of its own follows an "each unit" target.
        """
        targets = self.targets.get((indicator.pk, place.key))
        if targets is None and place.scope == Scope.UNIT:
            targets = self.targets.get((indicator.pk, (Scope.EACH_UNIT, None, None)))
        if not targets:
            return None
        return next((t for t in targets if t.period.ordinal >= period.ordinal), targets[-1])


def places(periods: list[Period], only_unit: Unit | None = None) -> list[Place]:
    """The city, the groups with units counted in the city total, and the units (or only one and its groups)."""
    groups = list(UnitGroup.objects.all())
    result = [Place(Scope.CITY, units=Unit.objects.all())]
    for group in groups:
        units = Unit.objects.in_group(group)
        if only_unit and not units.filter(pk=only_unit.pk).exists():
            continue
        if units.filter(counts_toward_city_total=True).exists():
            result.append(Place(Scope.GROUP, group=group, units=units))
    units = [only_unit] if only_unit else Unit.objects.select_related("joined")
    result += [Place(Scope.UNIT, unit=unit) for unit in units]
    for place in result:
        place.expected = expected_units(place, periods)
    return result


def growth_series(series: dict[int, float], periods: list[Period], baseline: Period | None):
    """Average annual growth since the baseline, comparing the same quarter's year-to-date (in %)."""
    if baseline is None:
        return {}
    start = series.get(baseline.pk)
    growth = {}
    for period in periods:
        lag = (period.ordinal - baseline.ordinal) % 4
        aligned = next((p for p in periods if p.ordinal == period.ordinal - lag), None)
        years = (period.ordinal - lag - baseline.ordinal) / 4
        rate = annual_growth(start, series.get(aligned.pk) if aligned else None, years)
        if rate is not None:
            growth[period.pk] = 100 * rate
    return growth


def first_with_value(series: dict, periods: list[Period], place: Place, plan) -> Period | None:
    """The baseline of a place: the plan's baseline, or the first quarter after it with a value (a unit
    that joined later, or missed the baseline quarter)."""
    start = plan.baseline.ordinal
    if place.unit and place.unit.joined and place.unit.joined.ordinal > start:
        start = place.unit.joined.ordinal
    return next((p for p in periods if p.ordinal >= start and series.get(p.pk) is not None), None)


def plan_rows(plan, *, run, only_unit: Unit | None = None, progress=lambda: None) -> list[IndicatorValue]:
    """All snapshot rows of one plan (or of one unit and the aggregates it feeds); `progress()` per indicator.

    Ranks are left to the writer, which ranks the stored rows in the database.
    """
    frame = PlanFrame.of(plan)
    run_info = {"run": run, "computed_at": timezone.now()}
    updated = measures.latest_update(Unit.objects.all(), frame.fetch)
    rows = []
    plan_places = places(frame.fetch + [p for p in frame.periods if p.ordinal > frame.data_until], only_unit)
    for indicator in Indicator.objects.all():
        per_unit = measures.unit_values(indicator, frame.fetch, plan.baseline)
        unit_series = defaultdict(dict)
        for (unit_id, period_id), value in per_unit.items():
            unit_series[unit_id][period_id] = float(value)
        for place in plan_places:
            if place.scope == Scope.UNIT:
                series = unit_series.get(place.unit.pk, {})
                reporting = dict.fromkeys(series, 1)
                covered = [place.unit.pk]
            else:
                totals = measures.scope_values(indicator, frame.fetch, place.units, plan.baseline, place.expected)
                # A total is only a total once every unit has its quarter approved; until then it stays empty.
                series = {p: float(v) for p, (v, n) in totals.items() if v is not None and n >= place.expected[p]}
                reporting = {p: n for p, (_, n) in totals.items()}
                covered = list(place.units.values_list("pk", flat=True))
            stamp = max((updated[u] for u in covered if updated[u]), default=None)
            rows += place_rows(indicator, place, series, reporting, frame, run_info | {"data_updated_at": stamp})
        progress()
    return rows


def place_rows(indicator, place, series, reporting, frame, stamp: dict) -> list[IndicatorValue]:
    plan, fetch = frame.plan, frame.fetch
    flow_baseline = first_with_value(series, fetch, place, plan)
    if indicator.method == Method.GROWTH_RATE:
        values = avg_growth = growth_series(series, fetch, flow_baseline)
        baseline, baseline_value = flow_baseline, None
    else:
        values = series
        avg_growth = growth_series(series, fetch, flow_baseline) if indicator.method in SUMS else {}
        baseline = first_with_value(values, frame.periods, place, plan)
        baseline_value = series.get(baseline.pk) if baseline else None
    money = indicator.method in SUMS and sections.figure(indicator.figure)[1].unit_label == "万元"
    rows = []
    for period in frame.periods:
        value = values.get(period.pk) if period.ordinal <= frame.data_until else None
        target = frame.target_for(indicator, place, period)
        goal = None
        if target and baseline:
            goal = Goal(
                value=float(target.value), comparison=target.comparison, direction=indicator.direction,
                quarters=target.period.ordinal - baseline.ordinal, is_rate=indicator.method == Method.GROWTH_RATE,
            )
        result = assess(
            value=value, baseline=baseline_value, goal=goal,
            elapsed=period.ordinal - baseline.ordinal if baseline else 0, compound=money,
        )
        rows.append(IndicatorValue(
            plan=plan, indicator=indicator, period=period, scope=place.scope, group=place.group, unit=place.unit,
            value=to_decimal(value), units_reporting=reporting.get(period.pk, 0),
            units_expected=place.expected.get(period.pk, 0),
            baseline_period=baseline, baseline_value=to_decimal(baseline_value),
            target=target, target_period=target.period if target else None,
            target_value=to_decimal(float(target.value)) if target else None,
            progress=to_decimal(result.progress), expected_progress=to_decimal(result.expected_progress),
            expected_value=to_decimal(result.expected_value), pace_ratio=to_decimal(result.pace_ratio),
            gap=to_decimal(result.gap), projected_linear=to_decimal(result.projected_linear),
            projected_compound=to_decimal(result.projected_compound), status=result.status,
            yoy_growth=to_decimal(year_on_year(series, period, fetch)) if indicator.method in SUMS else None,
            avg_annual_growth=to_decimal(avg_growth.get(period.pk)),
            **stamp,
        ))
    return rows


def year_on_year(series: dict, period: Period, fetch: list[Period]) -> float | None:
    """Growth on the same quarter a year before (for flows: year to date on year to date), in %."""
    previous = next((p for p in fetch if p.ordinal == period.ordinal - 4), None)
    rate = annual_growth(series.get(previous.pk) if previous else None, series.get(period.pk), 1)
    return None if rate is None else 100 * rate


def expected_units(place: Place, periods: list[Period]) -> dict[int, int]:
    """Per period, how many units should have reported: those that had joined (and count, for aggregates)."""
    if place.scope == Scope.UNIT:
        joined = [place.unit.joined.ordinal if place.unit.joined else None]
    else:
        joined = list(place.units.filter(counts_toward_city_total=True).values_list("joined__ordinal", flat=True))
    return {p.pk: sum(1 for j in joined if j is None or j <= p.ordinal) for p in periods}

"""Builds the snapshot rows of one plan: every indicator × quarter × scope (each unit, each group, the city).

Values come from indicators/measures.py in a fixed number of queries per indicator: group totals, added up
here along the group tree for each group and the city, and the units' own values a batch of units at a
time. This module lays them along the plan's quarters, finds the target that applies, and asks
indicators/progress.py where each stands. Rows are yielded as they are computed, so memory does not grow
with the number of units; indicators/services.py writes them in one transaction.
"""
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Max
from django.utils import timezone

from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit, UnitGroup
from districts.registry import sections
from indicators import measures
from indicators.choices import Method, Scope
from indicators.models import Indicator, each_unit_covers
from indicators.progress import Goal, annual_growth, assess
from indicators.snapshot import Row

SUMS = (Method.STOCK_SUM, Method.FLOW_SUM)
UNIT_BATCH = 500  # units whose values, quotas and rows are in memory at once


class Goalpost(NamedTuple):
    """A target as a row needs it."""

    pk: int
    period_id: int
    ordinal: int
    value: float
    comparison: str
    applies_to: str  # for an "each unit" target: which units (AppliesTo)


@dataclass(frozen=True)
class Place:
    """A scope a row is computed for: the city, a group or a unit."""

    scope: str
    group_id: int | None = None
    unit_id: int | None = None
    joined: int | None = None  # a unit's first quarter (ordinal), None if from the start
    groups: frozenset = frozenset()  # the city or a group: the unit groups whose units it covers

    @property
    def key(self):
        return (self.scope, self.group_id, self.unit_id)


@dataclass
class PlanFrame:
    """The quarters and targets of a plan, read once per computation (unit quotas a batch of units at a time)."""

    plan: object
    periods: list[Period]  # baseline .. max(horizon, latest data), the rows' quarters
    data_until: int  # ordinal of the latest quarter with approved data
    fetch: list[Period]  # the quarters whose figures are read: a year before the baseline .. data_until
    targets: dict = field(default_factory=dict)  # (indicator_id, place key) -> goalposts by period
    covered: dict = field(default_factory=dict)  # AppliesTo -> ids of the units an "each unit" target applies to
    quarters: list[tuple] = field(default_factory=list)  # the rows' quarters as (pk, ordinal, pk a year before)
    ordinals: list[int] = field(default_factory=list)  # the rows' quarters' ordinals

    @classmethod
    def of(cls, plan):
        latest = Submission.objects.filter(state=SubmissionState.APPROVED).aggregate(o=Max("period__ordinal"))["o"]
        horizon = plan.horizon
        last = max(o for o in (latest, horizon.ordinal if horizon else None, plan.baseline.ordinal) if o)
        periods = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal, ordinal__lte=last))
        data_until = latest or plan.baseline.ordinal
        fetch = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal - 4, ordinal__lte=data_until))
        frame = cls(plan=plan, periods=periods, data_until=data_until, fetch=fetch)
        year_before = {p.ordinal + 4: p.pk for p in fetch}
        frame.quarters = [(p.pk, p.ordinal, year_before.get(p.ordinal)) for p in periods]
        frame.ordinals = [p.ordinal for p in periods]
        frame.targets = goalposts(plan.targets.exclude(scope=Scope.UNIT))
        used = set(plan.targets.filter(scope=Scope.EACH_UNIT).values_list("applies_to", flat=True))
        frame.covered = {key: set(Unit.objects.filter(each_unit_covers(key)).values_list("pk", flat=True))
                         for key in used}
        return frame

    def quotas(self, unit_ids) -> dict:
        return goalposts(self.plan.targets.filter(scope=Scope.UNIT, unit_id__in=unit_ids))

    def targets_of(self, indicator, place: Place, quotas: dict) -> list[Goalpost]:
        """A unit without a quota of its own follows the "each unit" targets that apply to it."""
        key = (indicator.pk, place.key)
        if place.scope == Scope.UNIT:
            each = self.targets.get((indicator.pk, (Scope.EACH_UNIT, None, None)), [])
            return quotas.get(key) or [g for g in each if place.unit_id in self.covered[g.applies_to]]
        return self.targets.get(key, [])


def goalposts(targets) -> dict[tuple, list[Goalpost]]:
    found = defaultdict(list)
    rows = targets.order_by("period__ordinal").values_list(
        "indicator_id", "scope", "group_id", "unit_id", "pk", "period_id", "period__ordinal", "value", "comparison",
        "applies_to",
    )
    for indicator_id, scope, group_id, unit_id, pk, period_id, ordinal, value, comparison, applies_to in rows:
        found[indicator_id, (scope, group_id, unit_id)].append(Goalpost(pk, period_id, ordinal, float(value),
                                                                         comparison, applies_to))
    return found


def targets_at(targets: list[Goalpost], ordinals: list[int]) -> list[Goalpost | None]:
    """For each quarter (ordinals in order), the next target on or after it; the last one once all have passed."""
    if not targets:
        return [None] * len(ordinals)
    found, at, last = [], 0, len(targets) - 1
    for ordinal in ordinals:
        while at < last and targets[at].ordinal < ordinal:
            at += 1
        found.append(targets[at])
    return found


def group_tree() -> dict[int, set[int]]:
    """Every unit group with itself and every group below it (the tree is a handful of rows)."""
    parents = dict(UnitGroup.objects.values_list("pk", "parent_id"))
    covered = defaultdict(set)
    for group_id in parents:
        ancestor = group_id
        while ancestor is not None:
            covered[ancestor].add(group_id)
            ancestor = parents[ancestor]
    return covered


def groups_fed_by(unit: Unit) -> list[int]:
    """The groups whose totals include the unit: its own group and the groups above it."""
    return [group_id for group_id, covered in group_tree().items() if unit.group_id in covered]


class RunReads:
    """What every plan of a run reads alike, read once per run over the quarters of all of them: each figure's
    group totals and the latest save per group and quarter (one query per section), each indicator's group
    totals. These reads cover the whole country (the city's total needs every unit), so a one-unit run makes
    them once, not once per plan or figure."""

    def __init__(self, plans):
        latest = Submission.objects.filter(state=SubmissionState.APPROVED).aggregate(o=Max("period__ordinal"))["o"]
        first = min(plan.baseline.ordinal for plan in plans) - 4
        last = max([latest or 0] + [plan.baseline.ordinal for plan in plans])
        self.fetch = list(Period.objects.filter(ordinal__gte=first, ordinal__lte=last))
        self._figures, self.updated = measures.section_totals(self.fetch)
        self._totals = {}

    def group_totals(self, indicator, baseline: Period) -> dict:
        key = (indicator.pk, baseline.pk if measures.reads_baseline(indicator) else None)
        if key not in self._totals:
            self._totals[key] = measures.group_totals(indicator, self.fetch, baseline, self._figures)
        return self._totals[key]


class Aggregates:
    """The city and the groups with units counted in the city total (or only those `only_unit` feeds), with
    how many units each expects per quarter and when their units' figures were last saved."""

    def __init__(self, frame: PlanFrame, reads: RunReads, only_unit: Unit | None = None):
        covered = group_tree()
        joined = Unit.objects.counted().order_by().values_list("group_id", "joined__ordinal").annotate(n=Count("pk"))
        self.joined = list(joined)
        uncounted = Unit.objects.filter(counts_toward_city_total=False, has_high_tech_zone=True).order_by()
        self.zone_holders = list(uncounted.values_list("group_id", "joined__ordinal").annotate(n=Count("pk")))
        counted_groups = {group_id for group_id, _, _ in self.joined}
        self.places = [Place(Scope.CITY, groups=frozenset(covered))] + [
            Place(Scope.GROUP, group_id=group_id, groups=frozenset(covered[group_id]))
            for group_id in UnitGroup.objects.values_list("pk", flat=True)
            if covered[group_id] & counted_groups and (only_unit is None or only_unit.group_id in covered[group_id])
        ]
        fetched = {period.pk for period in frame.fetch}
        self.updated = {}
        for (group_id, period_id), at in reads.updated.items() if reads else ():
            if period_id in fetched and (group_id not in self.updated or at > self.updated[group_id]):
                self.updated[group_id] = at
        self.periods = frame.fetch + [p for p in frame.periods if p.ordinal > frame.data_until]

    def expected(self, place: Place, *, zone_holders: bool = False) -> dict[int, int]:
        """Per period, how many counted units should have reported: those that had joined by then; with
        `zone_holders`, also the uncounted units with a high-tech zone (重庆高新区), whose zone a zones' share adds."""
        units = self.joined + self.zone_holders if zone_holders else self.joined
        return {
            period.pk: sum(n for group_id, since, n in units
                           if group_id in place.groups and (since is None or since <= period.ordinal))
            for period in self.periods
        }

    def stamp(self, place: Place):
        return max((self.updated[g] for g in place.groups if g in self.updated), default=None)


def unit_batches(only_unit: Unit | None, units=None) -> Iterator[dict[int, int | None]]:
    """The units to compute (all, `only_unit`, or the `units` queryset), UNIT_BATCH at a time:
    {unit id: ordinal of the quarter it joined}."""
    if only_unit is not None:
        yield {only_unit.pk: only_unit.joined.ordinal if only_unit.joined else None}
        return
    last = 0
    units = Unit.objects.all() if units is None else units
    while batch := dict(
        units.filter(pk__gt=last).order_by("pk").values_list("pk", "joined__ordinal")[:UNIT_BATCH]
    ):
        yield batch
        last = max(batch)


def step_count(only_unit: Unit | None) -> int:
    """How many times `plan_rows` reports progress: once per indicator, then once per batch of units."""
    units = 1 if only_unit else Unit.objects.count()
    return Indicator.objects.count() + -(-units // UNIT_BATCH)


def plan_rows(plan, *, run, reads: RunReads | None, only_unit: Unit | None = None, units=None,
              progress=lambda: None) -> Iterator[Row]:
    """All snapshot rows of one plan (or of one unit and the aggregates it feeds), as they are computed.

    A run spread over workers asks for one part at a time: `units` (a queryset) gives only those units' rows,
    with `reads` None; `units` empty, only the group and city rows.
    `progress()` after each indicator's aggregates and each batch of units. Ranks are left to the writer,
    which ranks the stored rows in the database.
    """
    frame = PlanFrame.of(plan)
    computed_at = timezone.now()
    indicators = list(Indicator.objects.all())
    aggregates = Aggregates(frame, reads, only_unit)
    counted_only = {place.key: aggregates.expected(place) for place in aggregates.places}
    with_zones = {place.key: aggregates.expected(place, zone_holders=True) for place in aggregates.places}
    for indicator in indicators if reads else ():
        totals = reads.group_totals(indicator, plan.baseline)
        expected = with_zones if measures.adds_uncounted(indicator) else counted_only
        for place in aggregates.places:
            series, reporting = {}, {}
            for period in frame.fetch:
                parts = [(counted, totals[key]) for group_id in place.groups for counted in (True, False)
                         if (key := (group_id, counted, period.pk)) in totals]
                result = measures.scope_value(indicator, parts, expected[place.key][period.pk])
                if result is None:
                    continue
                value, reporting[period.pk] = result
                # A total is only a total once every unit has its quarter approved; until then it stays empty.
                if value is not None and reporting[period.pk] >= expected[place.key][period.pk]:
                    series[period.pk] = float(value)
            stamp = (run.pk, computed_at, aggregates.stamp(place))
            yield from place_rows(indicator, place, series, reporting, expected[place.key], frame, {}, stamp)
        progress()
    for batch in unit_batches(only_unit, units):
        updated = measures.latest_update(frame.fetch, "unit_id", list(batch))
        quotas = frame.quotas(list(batch))
        places = [Place(Scope.UNIT, unit_id=unit_id, joined=joined) for unit_id, joined in batch.items()]
        approved = approved_quarters(frame.fetch, list(batch))
        unit_expected = {place.unit_id: {p.pk: int(place.joined is None or place.joined <= p.ordinal)
                                         for p in aggregates.periods} for place in places}
        for indicator in indicators:
            series = defaultdict(dict)
            for (unit_id, period_id), value in measures.unit_values(indicator, frame.fetch, plan.baseline,
                                                                    batch).items():
                series[unit_id][period_id] = float(value)
            for place in places:
                stamp = (run.pk, computed_at, updated.get(place.unit_id))
                # A unit "reports" a quarter once it is approved: only then is it ranked (platform counts have a
                # value in every quarter, approved or not).
                yield from place_rows(indicator, place, series.get(place.unit_id, {}), approved[place.unit_id],
                                      unit_expected[place.unit_id], frame, quotas, stamp)
        progress()


def approved_quarters(periods: list[Period], unit_ids: list[int]) -> dict[int, dict[int, int]]:
    """{unit id: {period id: 1}} for the units' approved quarters among `periods`."""
    approved = defaultdict(dict)
    for unit_id, period_id in Submission.objects.filter(
        state=SubmissionState.APPROVED, unit_id__in=unit_ids, period__in=periods
    ).values_list("unit_id", "period_id"):
        approved[unit_id][period_id] = 1
    return approved


def place_rows(indicator, place, series, reporting, expected, frame, quotas, stamp) -> Iterator[Row]:
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
    targets = frame.targets_of(indicator, place, quotas)
    # What does not change from quarter to quarter is worked out once per place: each target's goal, the baseline.
    goals = {} if baseline is None else {
        target: Goal(value=target.value, comparison=target.comparison, direction=indicator.direction,
                     quarters=target.ordinal - baseline.ordinal, is_rate=indicator.method == Method.GROWTH_RATE)
        for target in targets
    }
    start = baseline.ordinal if baseline else None
    baseline_id, baseline_rounded = (baseline.pk if baseline else None), rounded(baseline_value)
    yoy_wanted = indicator.method in SUMS
    head = (*stamp, plan.pk, indicator.pk)
    schedule = zip(frame.quarters, targets_at(targets, frame.ordinals), strict=True)
    for (period_id, ordinal, year_before_id), target in schedule:
        value = values.get(period_id) if ordinal <= frame.data_until else None
        result = assess(value=value, baseline=baseline_value, goal=goals.get(target),
                        elapsed=ordinal - start if baseline else 0, compound=money)
        yoy = None
        if yoy_wanted:
            rate = annual_growth(series.get(year_before_id), series.get(period_id), 1)
            yoy = None if rate is None else 100 * rate
        yield Row(
            *head, period_id, place.scope, place.group_id, place.unit_id,
            value=rounded(value), units_reporting=reporting.get(period_id, 0),
            units_expected=expected.get(period_id, 0),
            baseline_period_id=baseline_id, baseline_value=baseline_rounded,
            target_id=target.pk if target else None, target_period_id=target.period_id if target else None,
            target_value=rounded(target.value) if target else None,
            progress=rounded(result.progress), expected_progress=rounded(result.expected_progress),
            expected_value=rounded(result.expected_value), pace_ratio=rounded(result.pace_ratio),
            gap=rounded(result.gap), projected_linear=rounded(result.projected_linear),
            projected_compound=rounded(result.projected_compound), status=result.status,
            yoy_growth=rounded(yoy), avg_annual_growth=rounded(avg_growth.get(period_id)),
        )


def rounded(number: float | None) -> float | None:
    return None if number is None else round(number, 4)


def growth_series(series: dict[int, float], periods: list[Period], baseline: Period | None):
    """Average annual growth since the baseline, comparing the same quarter's year-to-date (in %).

    Only for a quarter that has a value itself (the unit's quarter approved, every unit of a group or the city
    approved): between two such year ends the latest year's growth is shown, never in a quarter still open.
    """
    if baseline is None:
        return {}
    start = series.get(baseline.pk)
    by_ordinal = {p.ordinal: p.pk for p in periods}
    growth = {}
    for period in periods:
        if series.get(period.pk) is None:
            continue
        lag = (period.ordinal - baseline.ordinal) % 4
        years = (period.ordinal - lag - baseline.ordinal) / 4
        rate = annual_growth(start, series.get(by_ordinal.get(period.ordinal - lag)), years)
        if rate is not None:
            growth[period.pk] = 100 * rate
    return growth


def first_with_value(series: dict, periods: list[Period], place: Place, plan) -> Period | None:
    """The baseline of a place: the plan's baseline, or the first quarter after it with a value (a unit
    that joined later, or missed the baseline quarter)."""
    start = max(plan.baseline.ordinal, place.joined or 0)
    return next((p for p in periods if p.ordinal >= start and series.get(p.pk) is not None), None)

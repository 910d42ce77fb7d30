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
from indicators.choices import Method, Scope, Status
from indicators.models import Indicator, each_unit_covers
from indicators.progress import Assessment, Goal, annual_growth, assess
from indicators.snapshot import Row
from platforms.models import Platform

SUMS = (Method.STOCK_SUM, Method.FLOW_SUM)
UNIT_BATCH = 250  # units whose figures, quotas and rows are in memory at once


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
    fetched: list[tuple] = field(default_factory=list)  # `fetch` as (pk, ordinal), read per place without the ORM
    fetched_at: dict = field(default_factory=dict)  # ordinal -> pk of `fetch`

    @classmethod
    def of(cls, plan, latest: int | None):
        """`latest`: the ordinal of the latest quarter approved anywhere (`RunReads.latest`)."""
        horizon = plan.horizon
        last = max(o for o in (latest, horizon.ordinal if horizon else None, plan.baseline.ordinal) if o)
        periods = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal, ordinal__lte=last))
        data_until = latest or plan.baseline.ordinal
        fetch = list(Period.objects.filter(ordinal__gte=plan.baseline.ordinal - 4, ordinal__lte=data_until))
        frame = cls(plan=plan, periods=periods, data_until=data_until, fetch=fetch)
        year_before = {p.ordinal + 4: p.pk for p in fetch}
        frame.quarters = [(p.pk, p.ordinal, year_before.get(p.ordinal)) for p in periods]
        frame.ordinals = [p.ordinal for p in periods]
        frame.fetched = [(p.pk, p.ordinal) for p in fetch]
        frame.fetched_at = {p.ordinal: p.pk for p in fetch}
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


def latest_approved() -> int | None:
    """The ordinal of the latest quarter approved anywhere."""
    return Submission.objects.filter(state=SubmissionState.APPROVED).aggregate(o=Max("period__ordinal"))["o"]


class RunReads:
    """What every plan of a run reads alike, read once per run over the quarters of all of them: the latest quarter
    approved, the group totals of each figure an indicator reads and the latest save per group and quarter (one
    query per section), each indicator's group totals. These reads cover the whole country (the city's total needs
    every unit), so a one-unit run makes them once, not once per plan or figure."""

    def __init__(self, plans):
        self.latest = latest_approved()
        first = min(plan.baseline.ordinal for plan in plans) - 4
        last = max([self.latest or 0] + [plan.baseline.ordinal for plan in plans])
        self.fetch = list(Period.objects.filter(ordinal__gte=first, ordinal__lte=last))
        keys = measures.figures_read(Indicator.objects.all())
        self._figures, self.updated = measures.section_totals(self.fetch, keys=keys)
        self._totals = {}
        self._platforms = None

    def group_totals(self, indicator, baseline: Period) -> dict:
        key = (indicator.pk, baseline.pk if measures.reads_baseline(indicator) else None)
        if key not in self._totals:
            self._totals[key] = measures.group_totals(indicator, self.fetch, baseline, self._figures,
                                                      self.platforms(indicator))
        return self._totals[key]

    def platforms(self, indicator) -> measures.PlatformRecords | None:
        """Every platform and its timeline, read once a run for every platform count (None for other indicators)."""
        if not measures.counts_platforms(indicator):
            return None
        if self._platforms is None:
            self._platforms = measures.PlatformRecords.of(Platform.objects.all())
        return self._platforms


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
    frame = PlanFrame.of(plan, reads.latest if reads else latest_approved())
    computed_at = timezone.now()
    indicators = list(Indicator.objects.all())
    keys = measures.figures_read(indicators)
    aggregates = Aggregates(frame, reads, only_unit)
    counted_only = {place.key: aggregates.expected(place) for place in aggregates.places}
    with_zones = {place.key: aggregates.expected(place, zone_holders=True) for place in aggregates.places}
    feeds = {group_id: [place.key for place in aggregates.places if group_id in place.groups]
             for group_id in set().union(*(place.groups for place in aggregates.places))}
    for indicator in indicators if reads else ():
        totals = reads.group_totals(indicator, plan.baseline)
        expected = with_zones if measures.adds_uncounted(indicator) else counted_only
        with_values = {period.pk for period in measures.periods_with_values(indicator, frame.fetch)}
        parts = defaultdict(list)  # (place key, period id) -> (counted, totals) of each group the place covers
        for (group_id, counted, period_id), sums in totals.items():
            for key in feeds.get(group_id, ()):
                parts[key, period_id].append((counted, sums))
        for place in aggregates.places:
            series, reporting, wanted = {}, {}, expected[place.key]
            for period_id, _ in frame.fetched:
                if period_id not in with_values:
                    continue
                result = measures.scope_value(indicator, parts.get((place.key, period_id), []), wanted[period_id])
                if result is None:
                    continue
                value, reporting[period_id] = result
                # A total is only a total once every unit has its quarter approved; until then it stays empty.
                if value is not None and reporting[period_id] >= wanted[period_id]:
                    series[period_id] = float(value)
            stamp = (run.pk, computed_at, aggregates.stamp(place))
            yield from place_rows(indicator, place, series, reporting, expected[place.key], frame, {}, stamp)
        progress()
    for batch in unit_batches(only_unit, units):
        figures, saved = measures.section_totals(frame.fetch, measures.BY_UNIT, list(batch), keys)
        updated = {}
        for (unit_id, _), at in saved.items():
            updated[unit_id] = max(at, updated.get(unit_id, at))
        quotas = frame.quotas(list(batch))
        places = [Place(Scope.UNIT, unit_id=unit_id, joined=joined) for unit_id, joined in batch.items()]
        approved = approved_quarters(frame.fetch, list(batch))
        unit_expected = {place.unit_id: {p.pk: int(place.joined is None or place.joined <= p.ordinal)
                                         for p in aggregates.periods} for place in places}
        for indicator in indicators:
            series = defaultdict(dict)
            platforms = reads.platforms(indicator) if reads else None
            for (unit_id, period_id), value in measures.unit_values(indicator, frame.fetch, plan.baseline, batch,
                                                                    figures, platforms).items():
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
    plan, since = frame.plan, max(frame.plan.baseline.ordinal, place.joined or 0)
    flow_baseline = first_with_value(series, frame.fetched, since)
    if indicator.method == Method.GROWTH_RATE:
        values = avg_growth = growth_series(series, frame, flow_baseline)
        baseline, baseline_value = flow_baseline, None
    else:
        values = series
        avg_growth = growth_series(series, frame, flow_baseline) if indicator.method in SUMS else {}
        baseline = first_with_value(values, frame.quarters, since)
        baseline_value = series.get(baseline[0]) if baseline else None
    money = indicator.method in SUMS and sections.figure(indicator.figure)[1].unit_label == "万元"
    targets = frame.targets_of(indicator, place, quotas)
    # What does not change from quarter to quarter is worked out once per place: each target's goal and columns,
    # the baseline, the columns that lead every row.
    goals = {} if baseline is None else {
        target: Goal(value=target.value, comparison=target.comparison, direction=indicator.direction,
                     quarters=target.ordinal - baseline[1], is_rate=indicator.method == Method.GROWTH_RATE)
        for target in targets
    }
    target_columns = {target: (target.pk, target.period_id, column_text(target.value)) for target in targets}
    target_columns[None] = (None, None, None)
    start = baseline[1] if baseline else None
    head = (*stamp, plan.pk, indicator.pk)
    where = (place.scope, place.group_id, place.unit_id)
    baseline_columns = (baseline[0] if baseline else None, column_text(baseline_value))
    yoy_wanted, data_until = indicator.method in SUMS, frame.data_until
    schedule = zip(frame.quarters, targets_at(targets, frame.ordinals), strict=True)
    for (period_id, ordinal, year_before_id), target in schedule:
        value = values.get(period_id) if ordinal <= data_until else None
        goal = goals.get(target)
        assessed = NO_GOAL if goal is None else assessment_columns(
            assess(value=value, baseline=baseline_value, goal=goal, elapsed=ordinal - start, compound=money))
        yoy = None
        if yoy_wanted and (rate := annual_growth(series.get(year_before_id), series.get(period_id), 1)) is not None:
            yoy = 100 * rate
        growth = avg_growth.get(period_id)
        yield new_row(Row, (
            *head, period_id, *where, None if value is None else f"{value:.4f}",
            reporting.get(period_id, 0), expected.get(period_id, 0), *baseline_columns, *target_columns[target],
            *assessed, None if yoy is None else f"{yoy:.4f}", None if growth is None else f"{growth:.4f}", None, None,
        ))


new_row = tuple.__new__  # a Row from a complete tuple of its fields, without NamedTuple's keyword handling
NO_GOAL = (None,) * 7 + (Status.NO_DATA,)  # the assessment's columns without a goal: `assessment_columns(Assessment())`


def column_text(number: float | None) -> str | None:
    """A number as the snapshot stores it: text with 4 decimal places, correctly rounded half to even (as
    `round(number, 4)`), which COPY writes as it is."""
    return None if number is None else f"{number:.4f}"


def assessment_columns(result: Assessment) -> tuple:
    """The row's columns progress .. projected_compound, status (`column_text` of each number, written out: this
    runs for most rows)."""
    progress, expected_progress, expected_value, pace_ratio, gap, linear, compound, status = result
    return (
        None if progress is None else f"{progress:.4f}",
        None if expected_progress is None else f"{expected_progress:.4f}",
        None if expected_value is None else f"{expected_value:.4f}",
        None if pace_ratio is None else f"{pace_ratio:.4f}",
        None if gap is None else f"{gap:.4f}",
        None if linear is None else f"{linear:.4f}",
        None if compound is None else f"{compound:.4f}",
        status,
    )


def growth_series(series: dict[int, float], frame: PlanFrame, baseline: tuple[int, int] | None):
    """Average annual growth since the baseline ((pk, ordinal)), comparing the same quarter's year-to-date (in %).

    Only for a quarter that has a value itself (the unit's quarter approved, every unit of a group or the city
    approved): between two such year ends the latest year's growth is shown, never in a quarter still open.
    """
    if baseline is None:
        return {}
    start = series.get(baseline[0])
    if start is None or start <= 0:  # no growth from nothing (`annual_growth`)
        return {}
    growth, first, at = {}, baseline[1], frame.fetched_at
    for period_id, ordinal in frame.fetched:
        if series.get(period_id) is None:
            continue
        lag = (ordinal - first) % 4
        rate = annual_growth(start, series.get(at.get(ordinal - lag)), (ordinal - lag - first) / 4)
        if rate is not None:
            growth[period_id] = 100 * rate
    return growth


def first_with_value(series: dict, periods: list[tuple], start: int) -> tuple[int, int] | None:
    """The baseline of a place as (pk, ordinal) among `periods` ((pk, ordinal, ...) in order): the first quarter
    from `start` (the plan's baseline, or the quarter a unit joined if later) with a value."""
    return next(((p[0], p[1]) for p in periods if p[1] >= start and series.get(p[0]) is not None), None)

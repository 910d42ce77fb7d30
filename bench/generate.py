"""Synthetic national-scale data: ~2,850 units in 31 groups, 20 quarters of every registered figure, targets.

Deterministic (every unit draws from its own seeded generator, so growing from 41 to 2,850 units keeps the
first units' numbers) and additive: a second call with more units only adds what is missing. Chongqing's
41 reference units are the first units; the rest are spread over `groups - 1` synthetic province groups.
Unit sizes are lognormal, so a few units hold most enterprises, as in the real country.

Rows are plain tuples loaded by `portal.bulk.load` (COPY on PostgreSQL, history in one INSERT … SELECT).
"""
import datetime
import io
import math
import random
from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from districts.choices import SubmissionState, UnitKind
from districts.models import Period, Submission, Unit, UnitGroup
from districts.registry import sections
from indicators.choices import Method, Scope
from indicators.models import Plan, Target
from platforms.choices import PlatformKind, PlatformLevel, PlatformStatus
from platforms.models import Platform, PlatformMilestone
from portal.bulk import load

LAST_PERIOD = "2025Q4"  # the generated quarters end here; later quarters stay free for the import benchmark
# Typical size (per unit of lognormal size 1) of a figure; others get a generic decreasing magnitude.
MAGNITUDES = {
    "tech_smes": 300, "high_tech": 60, "specialised_smes": 25, "little_giants": 2,
    "rd_spending": 60_000, "industrial_output": 2_500_000, "zone_output": 900_000, "gdp": 3_000_000,
    "received": 3_000, "disbursed": 2_200,
}


def unit_profile(seed: int, code: str) -> dict:
    rng = random.Random(f"{seed}:{code}")
    return {"rng": rng, "size": rng.lognormvariate(0, 1.3), "growth": rng.gauss(0.09, 0.05)}


def figure_value(profile, figure, index: int, period: Period, first: Period):
    magnitude = MAGNITUDES.get(figure.field, 1000 / 3**index)
    years = (period.ordinal - first.ordinal) / 4
    value = magnitude * profile["size"] * (1 + profile["growth"]) ** years * profile["rng"].uniform(0.97, 1.03)
    if figure.kind == "flow":  # year to date at quarter end
        value *= period.quarter / 4
    return int(value) if figure.integer else Decimal(f"{value:.2f}")


@transaction.atomic
def generate(*, units: int = 2850, groups: int = 31, quarters: int = 20, seed: int = 7, log=print) -> dict:
    """Load reference data, then add units, figures, approved quarters, platforms and targets up to the scale."""
    call_command("load_reference", stdout=io.StringIO())
    last = Period.objects.get_by_code(LAST_PERIOD)
    periods = list(Period.objects.filter(ordinal__gt=last.ordinal - quarters, ordinal__lte=last.ordinal))
    province_groups = add_groups(groups - 1)
    new_units = add_units(units, province_groups)
    all_units = list(Unit.objects.order_by("pk")[:units])
    profiles = {unit.pk: unit_profile(seed, unit.code) for unit in all_units}
    counts = {"units": len(all_units), "periods": len(periods), "new_units": len(new_units)}
    counts |= add_figures(all_units, periods, profiles)
    counts["platforms"] = add_platforms(new_units, profiles, periods)
    counts["targets"] = add_targets(all_units, province_groups, profiles)
    analyze()
    log(f"bench data: {counts}")
    return counts


def analyze():
    """Table statistics, as autovacuum soon takes after a bulk load: without them PostgreSQL plans for row
    counts of 1 (nested loops over 57,000 figures), which no production database would see."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def add_groups(count: int) -> list[UnitGroup]:
    existing = {g.code: g for g in UnitGroup.objects.filter(code__startswith="bench-p")}
    missing = [UnitGroup(code=f"bench-p{n:02d}", name=f"省份{n:02d}", order=100 + n)
               for n in range(1, count + 1) if f"bench-p{n:02d}" not in existing]
    UnitGroup.objects.bulk_create(missing)
    return list(UnitGroup.objects.filter(code__startswith="bench-p").order_by("order")[:count])


def add_units(total: int, province_groups: list[UnitGroup]) -> list[Unit]:
    have = Unit.objects.count()
    if total <= have or not province_groups:
        return []
    kinds = [UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY, UnitKind.AUTONOMOUS_COUNTY]
    columns = ("code", "name", "kind", "group_id", "has_high_tech_zone", "order")
    units = [
        (f"B{n:05d}", f"区县{n:05d}", kinds[n % 4], province_groups[n % len(province_groups)].pk, n % 7 == 0, 1000 + n)
        for n in range(have, total)
    ]
    load(Unit, columns, units)
    return list(Unit.objects.filter(code__in=[code for code, *_ in units]))


def add_figures(units: list[Unit], periods: list[Period], profiles: dict) -> dict:
    """One row per unit, quarter (and row of multi-row sections) for every section with figures; approved."""
    counts = {}
    first = periods[0]
    now = timezone.now()
    for section in sections:
        if not section.figures:
            continue
        rows = section.rows() if section.rows else [None]
        lookup = {"unit__in": units, "period__in": periods}
        present = set(section.model.objects.filter(**lookup).values_list("unit_id", "period_id").distinct())
        columns = ("unit_id", "period_id", *(f.field for f in section.figures))
        if section.rows:
            columns += (section.model._meta.get_field(section.row_field).attname,)
        objects = []
        for unit in units:
            for period in periods:
                if (unit.pk, period.pk) in present:
                    continue
                for row in rows:
                    values = tuple(
                        figure_value(profiles[unit.pk], figure, index, period, first)
                        if not figure.zone_only or unit.has_high_tech_zone else None
                        for index, figure in enumerate(section.figures)
                    )
                    row_value = () if row is None else (getattr(row.value, "pk", row.value),)
                    objects.append((unit.pk, period.pk, *values, *row_value))
        counts[section.key] = load(section.model, columns, objects)
    present = set(Submission.objects.filter(unit__in=units, period__in=periods).values_list("unit_id", "period_id"))
    submissions = [
        (unit.pk, period.pk, SubmissionState.APPROVED, now, now)
        for unit in units for period in periods if (unit.pk, period.pk) not in present
    ]
    load(Submission, ("unit_id", "period_id", "state", "submitted_at", "approved_at"), submissions)
    counts["submissions"] = len(submissions)
    return counts


def add_platforms(units: list[Unit], profiles: dict, periods: list[Period]) -> int:
    """About half of the new units have a featured platform; large units more often, and some are national. Some
    are founded during the quarters, and each past planning reached its status by a milestone in one of them, so
    counts through time read the platforms' history."""
    platforms, reached = [], {}
    for unit in units:
        rng, size = profiles[unit.pk]["rng"], profiles[unit.pk]["size"]
        if rng.random() < min(0.9, 0.3 + size / 4):
            name, status = f"{unit.name}科创平台", rng.choice(list(PlatformStatus.values))
            founded = periods[0].end_date + datetime.timedelta(days=rng.randint(-720, 360))
            platforms.append((unit.pk, name, PlatformKind.INNOVATION_CENTER, True,
                              PlatformLevel.NATIONAL if size > 3 else PlatformLevel.DISTRICT, status, founded))
            if status != PlatformStatus.PLANNED:
                reached[name] = (rng.choice(periods), status)
    count = load(Platform, ("unit_id", "name", "kind", "featured", "level", "status", "founded"), platforms)
    ids = dict(Platform.objects.filter(name__in=reached).values_list("name", "pk"))
    milestones = [(ids[name], period.pk, period.end_date - datetime.timedelta(days=10), "达到状态", status)
                  for name, (period, status) in reached.items()]
    load(PlatformMilestone, ("platform_id", "period_id", "date", "title", "status"), milestones)
    return count


def add_targets(units: list[Unit], province_groups: list[UnitGroup], profiles: dict) -> int:
    """Group and unit targets for each sum indicator a plan targets at city level, at each milestone."""
    targets = []
    for plan in Plan.objects.all():
        have = set(plan.targets.values_list("indicator_id", "period_id", "scope", "group_id", "unit_id"))
        city = plan.targets.filter(scope=Scope.CITY, indicator__method__in=[Method.STOCK_SUM, Method.FLOW_SUM])
        for target in city.select_related("indicator"):
            field = target.indicator.figure.partition(".")[2]
            quota = {u.pk: math.ceil(MAGNITUDES.get(field, 100) * profiles[u.pk]["size"] * 1.5) for u in units}
            key = (target.indicator_id, target.period_id)
            for unit in units:
                if (*key, Scope.UNIT, None, unit.pk) not in have:
                    targets.append((plan.pk, *key, Scope.UNIT, None, unit.pk, quota[unit.pk], target.comparison))
            for group in province_groups:
                if (*key, Scope.GROUP, group.pk, None) not in have:
                    value = sum(quota[u.pk] for u in units if u.group_id == group.pk)
                    targets.append((plan.pk, *key, Scope.GROUP, group.pk, None, value, target.comparison))
    columns = ("plan_id", "indicator_id", "period_id", "scope", "group_id", "unit_id", "value", "comparison")
    return load(Target, columns, targets)

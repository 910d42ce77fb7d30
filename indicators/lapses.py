"""The high-tech lapse block of the dashboards: certificates lapsing before the plan's next high-tech target date,
read from the enterprise registry (enterprises.selectors.high_tech_outlook), beside that target."""
import datetime
import hashlib

from districts.models import Unit
from enterprises.selectors import LapseOutlook, high_tech_outlook, registry_version
from indicators.choices import Scope
from indicators.models import Plan
from portal.caching import cached_in_process

HIGH_TECH = "high_tech"


def kept(name: str, compute, *key, registry: str | None = None):
    """`compute()` kept in the cache under the registry's version (`registry`, if the page read it already) and the
    day, so a change shows at once: the forecast reads every certificate, so a page computes it once per change of
    the registry, not per request."""
    digest = hashlib.sha256("|".join([registry or registry_version(), *map(str, key)]).encode()).hexdigest()[:32]
    return cached_in_process(f"lapses:{name}:{digest}", lambda: (compute(),))[0]  # a tuple: None is kept too


def next_target_date(plan, today: datetime.date):
    """The plan's first high-tech target (any scope) whose quarter ends after today, or None."""
    this_quarter = today.year * 4 + (today.month - 1) // 3
    targets = plan.targets.filter(indicator__code=HIGH_TECH, period__ordinal__gte=this_quarter)
    return targets.select_related("period").order_by("period__ordinal").first()


def city_outlook(plan_id: int, today: datetime.date, registry: str | None = None) -> LapseOutlook | None:
    """Over the units counted toward the city total, against the city's target for that quarter (if any)."""
    return kept("city", lambda: _city_outlook(Plan.objects.get(pk=plan_id), today), plan_id, today, registry=registry)


def _city_outlook(plan, today: datetime.date) -> LapseOutlook | None:
    upcoming = next_target_date(plan, today)
    if upcoming is None:
        return None
    city = plan.targets.filter(indicator__code=HIGH_TECH, scope=Scope.CITY, period=upcoming.period).first()
    return high_tech_outlook(unit_ids=set(Unit.objects.counted().values_list("pk", flat=True)),
                             until=upcoming.period.end_date, today=today,
                             target=float(city.value) if city else None)


def unit_outlook(plan, unit: Unit, row, today: datetime.date, registry: str | None = None) -> LapseOutlook | None:
    """For one unit, against the target its dashboard row gives for that quarter (its quota or the each-unit
    target), if the row's target is that quarter's."""
    target_key = (row.target_value, row.target_period_id) if row is not None else None
    return kept("unit", lambda: _unit_outlook(plan, unit, row, today), plan.pk, unit.pk, today, target_key,
                registry=registry)


def _unit_outlook(plan, unit: Unit, row, today: datetime.date) -> LapseOutlook | None:
    upcoming = next_target_date(plan, today)
    if upcoming is None:
        return None
    target = None
    if row is not None and row.target_value is not None and row.target_period_id == upcoming.period_id:
        target = float(row.target_value)
    return high_tech_outlook(unit_ids={unit.pk}, until=upcoming.period.end_date, today=today, target=target)

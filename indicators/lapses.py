"""The high-tech lapse block of the dashboards: certificates lapsing before the plan's next high-tech target date,
read from the enterprise registry (enterprises.selectors.high_tech_outlook), beside that target."""
import datetime

from districts.models import Unit
from enterprises.selectors import LapseOutlook, high_tech_outlook, kept
from indicators.choices import Scope
from indicators.models import Plan

HIGH_TECH = "high_tech"


def next_target_date(plan, today: datetime.date):
    """The plan's first high-tech target (any scope) whose quarter ends after today, or None."""
    this_quarter = today.year * 4 + (today.month - 1) // 3
    targets = plan.targets.filter(indicator__code=HIGH_TECH, period__ordinal__gte=this_quarter)
    return targets.select_related("period").order_by("period__ordinal").first()


def city_outlook(plan_id: int, today: datetime.date) -> LapseOutlook | None:
    """Over the units counted toward the city total, against the city's target for that quarter (if any)."""
    return kept("lapses-city", lambda: _city_outlook(Plan.objects.get(pk=plan_id), today), plan_id, today)


def _city_outlook(plan, today: datetime.date) -> LapseOutlook | None:
    upcoming = next_target_date(plan, today)
    if upcoming is None:
        return None
    city = plan.targets.filter(indicator__code=HIGH_TECH, scope=Scope.CITY, period=upcoming.period).first()
    return high_tech_outlook(unit_ids=set(Unit.objects.counted().values_list("pk", flat=True)),
                             until=upcoming.period.end_date, today=today,
                             target=float(city.value) if city else None)


def unit_outlook(plan, unit: Unit, row, today: datetime.date) -> LapseOutlook | None:
    """For one unit, against the target its dashboard row gives for that quarter (its quota or the each-unit
    target), if the row's target is that quarter's."""
    target_key = (row.target_value, row.target_period_id) if row is not None else None
    return kept("lapses-unit", lambda: _unit_outlook(plan, unit, row, today), plan.pk, unit.pk, today, target_key)


def _unit_outlook(plan, unit: Unit, row, today: datetime.date) -> LapseOutlook | None:
    upcoming = next_target_date(plan, today)
    if upcoming is None:
        return None
    target = None
    if row is not None and row.target_value is not None and row.target_period_id == upcoming.period_id:
        target = float(row.target_value)
    return high_tech_outlook(unit_ids={unit.pk}, until=upcoming.period.end_date, today=today, target=target)

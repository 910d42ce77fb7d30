"""Each unit's indicator statuses for pages outside indicators (see districts/panels.py)."""
from functools import reduce
from operator import or_

from django.db.models import Max, Q

from districts.panels import UnitFact
from indicators.choices import Scope, Status
from indicators.models import IndicatorValue


def unit_statuses(*, units, user) -> dict[int, list[UnitFact]]:
    """Per unit, the status of every indicator with a target, at each plan's latest computed quarter."""
    rows = (IndicatorValue.objects.restrict(user, "view")
            .filter(scope=Scope.UNIT, unit__in=units).exclude(status=Status.NO_DATA))
    latest = rows.values("plan").annotate(ordinal=Max("period__ordinal"))
    if not latest:
        return {}
    at_latest = reduce(or_, (Q(plan=row["plan"], period__ordinal=row["ordinal"]) for row in latest))
    facts: dict[int, list[UnitFact]] = {}
    for row in (rows.filter(at_latest).select_related("indicator", "period")
                .order_by("unit__order", "plan__order", "indicator__order")):
        facts.setdefault(row.unit_id, []).append(
            UnitFact(label=f"{row.indicator.name}（{row.period.code}）", value=row.get_status_display(),
                     css=f"status-{row.status}")
        )
    return facts

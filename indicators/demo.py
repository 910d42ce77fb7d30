"""Demo unit quotas of the 2022 guidance's 45,000 and 8,000, from each unit's share at the baseline.

Quotas are rounded per unit, so they add up to a little less than the city target: the dashboards
show that gap instead of hiding it.
"""
from enterprises.models import EnterpriseFigures
from indicators.choices import Scope
from indicators.models import Plan, Target


def seed(ctx):
    plan = Plan.objects.get(code="guidance-2022")
    created = 0
    for city_target in plan.targets.filter(scope=Scope.CITY, indicator__code__in=["tech_smes", "high_tech"]):
        field = city_target.indicator.figure.partition(".")[2]
        baseline = dict(
            EnterpriseFigures.objects.filter(period=plan.baseline, unit__counts_toward_city_total=True)
            .values_list("unit_id", field)
        )
        total = sum(baseline.values())
        for unit_id, value in baseline.items():
            quota = int(city_target.value * value / total) // 10 * 10
            created += Target.objects.get_or_create(
                plan=plan, indicator=city_target.indicator, period=city_target.period, scope=Scope.UNIT,
                unit_id=unit_id, defaults={"value": quota, "note": "区县分解任务（演示数据）"},
            )[1]
    ctx.log(f"indicators: {created} unit quotas")

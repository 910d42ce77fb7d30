"""The indicators and the two plans of DOMAIN.md with their targets."""
from portal.reference import read_json


def load(log) -> None:
    from districts.models import Period, Unit, UnitGroup
    from indicators.models import Indicator, Plan, Target

    created = 0
    for row in read_json(__file__, "indicators.json"):
        fields = dict(row)
        created += Indicator.objects.get_or_create(code=fields.pop("code"), defaults=fields)[1]
    for order, row in enumerate(read_json(__file__, "plans.json"), start=1):
        plan, new = Plan.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "source_document": row["source_document"],
                "baseline": Period.objects.get_by_code(row["baseline"]),
                "active": row["active"],
                "order": order,
            },
        )
        created += new
        if not new:
            continue  # the bureau owns a plan's targets once it exists
        for target in row["targets"]:
            scope, _, code = target["scope"].partition(":")
            Target.objects.create(
                plan=plan,
                indicator=Indicator.objects.get(code=target["indicator"]),
                period=Period.objects.get_by_code(target["period"]),
                scope=scope,
                group=UnitGroup.objects.get(code=code) if scope == "group" else None,
                unit=Unit.objects.get(code=code) if scope == "unit" else None,
                comparison=target["comparison"],
                value=target["value"],
                note=target["note"],
            )
            created += 1
    log(f"indicators: {created} rows created")

"""Chongqing's region groups, its 41 units with old codes, the periods and the policy articles."""
from portal.reference import read_json
from portal.roles import sync_role_groups
from portal.schedule import sync_beat_schedule

FIRST_YEAR, LAST_YEAR = 2020, 2030


def load(log) -> None:
    from districts.models import Period, PolicyArticle, Unit, UnitCodeAlias, UnitGroup

    sync_role_groups()
    created = sync_beat_schedule()
    for row in read_json(__file__, "groups.json"):
        parent = UnitGroup.objects.get(code=row["parent"]) if row["parent"] else None
        _, new = UnitGroup.objects.get_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row["name_en"], "parent": parent, "order": row["order"]},
        )
        created += new
    for row in read_json(__file__, "units.json"):
        unit, new = Unit.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "group": UnitGroup.objects.get(code=row["group"]),
                "counts_toward_city_total": row["counts_toward_city_total"],
                "has_high_tech_zone": row["has_high_tech_zone"],
                "order": row["order"],
            },
        )
        created += new
        for alias in row["aliases"]:
            created += UnitCodeAlias.objects.get_or_create(
                code=alias["code"], defaults={"unit": unit, "note": alias["note"]}
            )[1]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for quarter in range(1, 5):
            created += Period.objects.get_or_create(year=year, quarter=quarter)[1]
    for row in read_json(__file__, "policy_articles.json"):
        key = row.pop("key")
        created += PolicyArticle.objects.get_or_create(key=key, defaults=row)[1]
    log(f"districts: {created} rows created")

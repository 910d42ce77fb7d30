"""The platforms the 2022 guidance names, attached to their units."""
from portal.reference import read_json


def load(log) -> None:
    from districts.models import Unit
    from platforms.models import Platform

    created = 0
    for row in read_json(__file__, "platforms.json"):
        fields = dict(row)
        unit = Unit.objects.get(code=fields.pop("unit"))
        name = fields.pop("name")
        created += Platform.objects.get_or_create(unit=unit, name=name, defaults=fields)[1]
    log(f"platforms: {created} rows created")

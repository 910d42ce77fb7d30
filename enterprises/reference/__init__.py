"""How long each status lasts by default (DOMAIN.md, the enterprise registry)."""
from portal.reference import read_json


def load(log) -> None:
    from enterprises.models import StatusValidity

    created = 0
    for row in read_json(__file__, "validity.json"):
        fields = dict(row)
        created += StatusValidity.objects.get_or_create(kind=fields.pop("kind"), defaults=fields)[1]
    log(f"enterprises: {created} validity rules created")

"""The funds and finance instruments of 科技金融."""
from portal.reference import read_json


def load(log) -> None:
    from funds.models import Fund

    created = 0
    for row in read_json(__file__, "funds.json"):
        fields = dict(row)
        created += Fund.objects.get_or_create(code=fields.pop("code"), defaults=fields)[1]
    log(f"funds: {created} rows created")

import pytest

from districts.models import Unit
from enterprises.credit_codes import synthetic
from enterprises.services import enterprise_create


@pytest.fixture
def make_enterprise(city_staff):
    """make_enterprise(unit code, name, since=None, serial=…): an enterprise on the registry, made by city staff."""
    serials = iter(range(1, 10_000))

    def make(unit_code, name, since=None, credit_code=True, **fields):
        unit = Unit.objects.get(code=unit_code)
        code = synthetic("500000", next(serials)) if credit_code is True else credit_code
        return enterprise_create(user=city_staff, name=name, unit=unit, credit_code=code, since=since, **fields)

    return make

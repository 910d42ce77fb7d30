import datetime

import pytest
from django.utils import timezone

from districts.models import Period
from districts.services import period_open
from platforms.models import Platform


@pytest.fixture
def quarter(city_staff):
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    return period


@pytest.fixture
def yubei_platform(chongqing):
    return Platform.objects.filter(unit__code="500112").first()

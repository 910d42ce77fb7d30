import datetime

import pytest
from django.utils import timezone

from districts.models import Period, Submission, Unit
from districts.services import figures_save, period_open


@pytest.fixture
def yubei(chongqing):
    return Unit.objects.get(code="500112")


@pytest.fixture
def wanzhou(chongqing):
    return Unit.objects.get(code="500101")


@pytest.fixture
def quarter(city_staff):
    """2026Q3, open for entry with a deadline a month away."""
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    period.refresh_from_db()
    return period


@pytest.fixture
def yubei_submission(quarter, yubei):
    return Submission.objects.get(unit=yubei, period=quarter)


@pytest.fixture
def record(city_staff):
    """record(unit, "2026Q2", {...}) stores past figures the way the bureau would correct them."""

    def store(unit, period_code, values):
        return figures_save(user=city_staff, unit=unit, period=Period.objects.get_by_code(period_code), values=values)

    return store

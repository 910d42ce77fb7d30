"""Celery: tasks run eagerly in tests and for `make run`, and through Redis with a real worker in CI."""
import datetime
import io

import pytest

from districts.choices import PeriodStatus
from districts.models import Period
from districts.tasks import close_overdue_periods


def open_overdue_period():
    period = Period.objects.get_by_code("2026Q3")
    period.status = PeriodStatus.OPEN
    period.deadline = datetime.date(2026, 10, 31)
    period.save()
    return period


def test_overdue_periods_are_closed_eagerly(chongqing):
    period = open_overdue_period()
    assert close_overdue_periods.delay().get() == ["2026Q3"]
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED


@pytest.mark.worker
def test_a_real_worker_closes_overdue_periods_through_redis(celery_worker_process):
    from django.core.management import call_command

    call_command("load_reference", stdout=io.StringIO())
    period = open_overdue_period()
    result = close_overdue_periods.delay()
    assert result.get(timeout=60) == ["2026Q3"]
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED

"""Writes with rules for periods and submissions. Views, admin, API and tasks call these."""
from django.db import transaction
from django.utils import timezone

from districts.choices import PeriodStatus
from districts.models import Period


@transaction.atomic
def periods_close_overdue(*, today=None) -> list[str]:
    """Close every open period whose deadline has passed; returns the codes closed."""
    today = today or timezone.localdate()
    overdue = list(Period.objects.select_for_update().filter(status=PeriodStatus.OPEN, deadline__lt=today))
    for period in overdue:
        period.status = PeriodStatus.CLOSED
        period.save(update_fields=["status"])
    return [period.code for period in overdue]

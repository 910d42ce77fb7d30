from celery import shared_task

from districts.services import periods_close_overdue


@shared_task
def close_overdue_periods() -> list[str]:
    return periods_close_overdue()

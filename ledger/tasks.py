from celery import shared_task

from ledger.services import tasks_remind_overdue


@shared_task
def remind_overdue_tasks() -> int:
    return tasks_remind_overdue()

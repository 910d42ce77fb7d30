import logging

from celery import shared_task

from districts.models import ImportJob
from districts.services import periods_close_overdue
from districts.spreadsheets.importer import import_apply, import_check

logger = logging.getLogger(__name__)


@shared_task
def close_overdue_periods() -> list[str]:
    return periods_close_overdue()


@shared_task
def import_check_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s is gone; nothing to check", job_id)
        return
    import_check(job=job)


@shared_task
def import_apply_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s is gone; nothing to import", job_id)
        return
    import_apply(job=job)

"""Celery tasks of the briefs: thin, they take ids and call the services."""
import logging

from celery import shared_task

from briefs.services import briefs_for_completed_quarters, briefs_mail_new
from indicators.models import DashboardRun

logger = logging.getLogger(__name__)


@shared_task
def generate_completed_briefs(run_id: int) -> int:
    """After a succeeded dashboard run: brief each plan's quarter that has just become complete."""
    run = DashboardRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.info("dashboard run %s is gone; no briefs", run_id)
        return 0
    return len(briefs_for_completed_quarters(run=run))


@shared_task
def mail_new_briefs() -> int:
    """Mail the briefs of newly completed quarters to the subscribed leaders (a beat entry)."""
    return briefs_mail_new()

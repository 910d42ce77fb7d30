"""Celery tasks of the dashboards: thin, they take a run id and call the service."""
import logging

from celery import shared_task

from indicators.choices import RunTrigger
from indicators.services import (
    dashboard_run_claim,
    dashboard_run_create,
    dashboard_runs_enqueue_waiting,
    dashboards_compute,
)

logger = logging.getLogger(__name__)


@shared_task(bind=True)
def compute_dashboards(self, run_id: int) -> int | None:
    """Compute a recorded run; a run that is gone, finished or taken by a live worker is skipped, not retried."""
    run = dashboard_run_claim(run_id=run_id, redelivered=bool((self.request.delivery_info or {}).get("redelivered")))
    if run is None:
        logger.info("dashboard run %s is missing or already taken; skipped", run_id)
        return None
    return dashboards_compute(run=run).rows


@shared_task
def compute_dashboards_nightly() -> int:
    """Rebuild every plan's snapshot from scratch (the beat schedule's nightly entry)."""
    return dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.NIGHTLY)).rows


@shared_task
def enqueue_waiting_dashboard_runs() -> int:
    """Send again the runs whose task could not be sent while the broker was down (a beat entry)."""
    return dashboard_runs_enqueue_waiting()

"""Celery tasks of the dashboards: thin, they take a run id and call the service."""
import logging

from celery import chord, shared_task

from indicators.choices import RunTrigger
from indicators.models import DashboardRun
from indicators.services import (
    dashboard_run_claim,
    dashboard_run_create,
    dashboard_runs_enqueue_waiting,
    dashboards_compute,
)
from indicators.spread import dashboards_spread, dashboards_stage, dashboards_swap

logger = logging.getLogger(__name__)


@shared_task(bind=True)
def compute_dashboards(self, run_id: int) -> int | None:
    """Compute a recorded run; a run that is gone, finished or taken by a live worker is skipped, not retried."""
    run = dashboard_run_claim(run_id=run_id, redelivered=bool((self.request.delivery_info or {}).get("redelivered")))
    if run is None:
        logger.info("dashboard run %s is missing or already taken; skipped", run_id)
        return None
    return compute(run)


def compute(run: DashboardRun) -> int | None:
    """A one-unit run here and now (its rows); a full run spread over the workers as a chord (None)."""
    if run.unit_id is not None or (spread := dashboards_spread(run=run)) is None:
        return dashboards_compute(run=run).rows
    attempt = (run.pk, spread["attempt"])
    chord(compute_dashboards_part.si(*attempt, part) for part in spread["parts"])(
        swap_dashboards.si(*attempt, spread["parts"], spread["covered"]))
    return None


@shared_task
def compute_dashboards_part(run_id: int, attempt: str, part: dict) -> bool:
    """One part of a spread run: compute and stage its rows (a task of the chord's header)."""
    return dashboards_stage(run_id=run_id, attempt=attempt, part=part)


@shared_task
def swap_dashboards(run_id: int, attempt: str, parts: list[dict], covered: list[int]) -> int | None:
    """The end of a spread run: the staged rows replace the snapshot at once (the chord's body)."""
    run = dashboards_swap(run_id=run_id, attempt=attempt, parts=parts, covered=covered)
    return run.rows if run else None


@shared_task
def compute_dashboards_nightly() -> int | None:
    """Rebuild every plan's snapshot from scratch (the beat schedule's nightly entry)."""
    run = dashboard_run_create(trigger=RunTrigger.NIGHTLY)
    return compute(dashboard_run_claim(run_id=run.pk))


@shared_task
def enqueue_waiting_dashboard_runs() -> int:
    """Send again the runs whose task could not be sent while the broker was down (a beat entry)."""
    return dashboard_runs_enqueue_waiting()

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
from indicators.spread import dashboards_complete, dashboards_spread, dashboards_stage, dashboards_swap

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
    send_layer(run.pk, spread["attempt"], spread["parts"], spread["covered"], layer=0)
    return None


def send_layer(run_id: int, attempt: str, parts: list[dict], covered: list[int], layer: int):
    """The steps of one layer of a spread run as a chord, whose body sends the next layer or swaps."""
    chord(compute_dashboards_part.si(run_id, attempt, part) for part in parts if part["layer"] == layer)(
        swap_dashboards.si(run_id, attempt, parts, covered, layer))


@shared_task
def compute_dashboards_part(run_id: int, attempt: str, part: dict) -> bool:
    """One step of a spread run, such as computing and staging a part's rows (a task of a chord's header)."""
    return dashboards_stage(run_id=run_id, attempt=attempt, part=part)


@shared_task
def swap_dashboards(run_id: int, attempt: str, parts: list[dict], covered: list[int], layer: int = 0) -> int | None:
    """A chord's body: once every step up to its layer is done, the next layer is sent; after the last, the
    staged rows replace the snapshot at once."""
    later = [part["layer"] for part in parts if part["layer"] > layer]
    if later:
        done_so_far = [part for part in parts if part["layer"] <= layer]
        if dashboards_complete(run_id=run_id, attempt=attempt, parts=done_so_far):
            send_layer(run_id, attempt, parts, covered, layer=min(later))
        return None
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

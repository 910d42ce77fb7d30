"""Brief a quarter when the dashboard run that completes it has been stored."""
import logging

from kombu.exceptions import OperationalError

from briefs.tasks import generate_completed_briefs

logger = logging.getLogger(__name__)


def on_dashboards_computed(sender, *, run, **kwargs):
    try:
        generate_completed_briefs.delay(run.pk)
    except OperationalError as error:
        # Every later run checks again, so the brief follows the next run (at the latest the nightly one).
        logger.warning("briefs after run %s not queued: %s", run.pk, error)

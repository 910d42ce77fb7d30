"""The Celery app: configured from Django settings (CELERY_*), tasks found in every installed app; and how a request
sends a task."""
import logging
import os

from celery import Celery
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger(__name__)

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_on_commit(task, *args, refused) -> None:
    """Send `task(*args)` once the current transaction commits. A broker that cannot take it (Redis down) does not
    fail a request whose work has committed: `refused(error)` records that the task was never sent, so that what
    waits for it does not wait for ever."""

    def send():
        try:
            task.delay(*args)
        except OperationalError as error:  # kombu's wrapper of the broker's connection errors
            logger.warning("task %s%s not sent: %s", task.name, args, error)
            refused(error)

    transaction.on_commit(send)

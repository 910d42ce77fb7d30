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


def send(task, *args) -> OperationalError | None:
    """Send `task(*args)`; the broker's refusal (Redis down) is returned, not raised, for the caller to record:
    whatever waits for the task must not wait for ever, and a request whose work has committed must not fail."""
    try:
        task.delay(*args)
    except OperationalError as error:  # kombu's wrapper of the broker's connection errors
        logger.warning("task %s%s not sent: %s", task.name, args, error)
        return error
    return None


def send_on_commit(task, *args, refused) -> None:
    """`send` the task once the current transaction commits; `refused(error)` if the broker refuses it."""

    def send_now():
        if (error := send(task, *args)) is not None:
            refused(error)

    transaction.on_commit(send_now)

"""Brief a quarter when the dashboard run that completes it has been stored."""
from briefs.tasks import generate_completed_briefs
from portal.celery import send


def on_dashboards_computed(sender, *, run, **kwargs):
    # If the broker refuses it, every later run checks again: the brief follows the next run (at the latest the
    # nightly one).
    send(generate_completed_briefs, run.pk)

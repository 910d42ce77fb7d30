"""Redis killed for real (a private redis-server, never the shared one): entry, approval and API reads go on,
the approval's dashboard recompute waits as a pending run, and /healthz/ says Redis is down; once Redis is
back, the beat job sends the run's task and it computes."""
import datetime
import signal

import pytest
import redis
from django.utils import timezone

from conftest import celery_broker
from districts.choices import SubmissionState
from districts.models import Period, Submission, Unit
from districts.services import figures_save, period_open, submission_approve, submission_submit
from enterprises.models import EnterpriseFigures
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun
from indicators.tasks import compute_dashboards, enqueue_waiting_dashboard_runs
from tests.faults.conftest import start_redis

pytestmark = pytest.mark.faults


def test_with_redis_killed_entry_approval_and_api_reads_go_on_and_healthz_says_so(
    private_redis, settings, yubei_clerk, city_staff, client, api_client, api_key, django_capture_on_commit_callbacks
):
    server, url = private_redis
    settings.REDIS_URL = url
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=timezone.localdate() + datetime.timedelta(days=30))
    yubei = Unit.objects.get(code="500112")
    before = client.get("/healthz/").json()["checks"]["redis"]

    server.send_signal(signal.SIGKILL)
    server.wait()

    health = client.get("/healthz/")
    with celery_broker(url), django_capture_on_commit_callbacks(execute=True):
        figures_save(user=yubei_clerk, unit=yubei, period=period, values={"enterprises.tech_smes": 321})
        submission = submission_submit(user=yubei_clerk, submission=Submission.objects.get(unit=yubei, period=period))
        submission_approve(user=city_staff, submission=submission)
    api_client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key('read')}")
    listed = api_client.get("/api/v1/enterprise-figures/", {"unit": "500112"})

    assert before == "ok"
    assert health.status_code == 503 and health.json()["checks"]["redis"].startswith("error")
    assert EnterpriseFigures.objects.get(unit=yubei, period=period).tech_smes == 321
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.APPROVED
    run = DashboardRun.objects.get(trigger=RunTrigger.APPROVAL, unit=yubei)
    assert run.status == RunStatus.PENDING and "消息队列不可用" in run.error
    assert listed.status_code == 200
    assert [row["tech_smes"] for row in listed.json()["results"] if row["period"] == "2026Q3"] == [321]

    restarted = start_redis(int(url.rsplit(":", 1)[1].split("/")[0]))
    try:
        with celery_broker(url):
            sent = enqueue_waiting_dashboard_runs()
            queued = redis.Redis.from_url(url).llen("celery")
        compute_dashboards.apply(args=[run.pk])  # what the worker does with the message
    finally:
        restarted.kill()
        restarted.wait()

    assert sent == 1 and queued == 1
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.error == ""

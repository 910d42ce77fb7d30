"""How runs behave around the rest of the system: at the same time as another run, in a real Celery
worker after an approval, and with the broker down (data entry goes on, the run waits)."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Count
from django.utils import timezone

from conftest import celery_broker, is_postgres
from districts.models import Submission
from districts.services import submission_approve
from districts.signals import quarter_approved
from indicators.choices import RunStatus, RunTrigger, Scope
from indicators.models import DashboardRun, IndicatorValue
from indicators.selectors import latest_run, newer_data_waiting
from indicators.services import abandoned_after, dashboard_run_claim, dashboard_run_create, dashboards_compute
from indicators.tasks import enqueue_waiting_dashboard_runs


def snapshot_shape():
    """(run id, rows) per run present in the snapshot, read in one query."""
    return sorted(IndicatorValue.objects.order_by().values_list("run").annotate(n=Count("pk")))


@pytest.mark.django_db(transaction=True)
def test_two_computations_at_once_leave_one_consistent_set(world):
    if not is_postgres():
        pytest.skip("SQLite lets one writer in at a time, so runs cannot overlap; the advisory lock needs PostgreSQL")
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10, rd=100)
        world.report(unit, "2022Q4", smes=12, rd=110)
    world.target(world.smes, "2025Q4", 60)
    first = world.compute()
    runs = [dashboard_run_create(trigger=RunTrigger.MANUAL) for _ in range(2)]
    seen, errors, done = [], [], threading.Event()

    def compute(run):
        try:
            dashboards_compute(run=run)
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    def read():
        while not done.is_set():
            seen.append(tuple(snapshot_shape()))
        connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    workers = [threading.Thread(target=compute, args=(run,)) for run in runs]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    done.set()
    reader.join()

    assert not errors
    assert all(r.status == RunStatus.SUCCEEDED for r in DashboardRun.objects.filter(pk__in=[r.pk for r in runs]))
    [(run_id, rows)] = snapshot_shape()
    assert run_id in {r.pk for r in runs} and rows == first.rows
    assert all(len(shape) == 1 and shape[0][1] == first.rows for shape in seen), "a reader saw half a set"


@pytest.mark.worker
def test_a_real_worker_computes_the_dashboards_after_an_approval(world, celery_worker_process):
    import time

    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10)
    world.report(world.b, "2022Q1", smes=20)
    world.report(world.c, "2022Q1", smes=30)
    world.report(world.a, "2022Q1", smes=40, approved=False)
    world.compute()
    assert world.row(world.smes, "2022Q1").value is None
    staff = get_user_model().objects.create_superuser("bureau", password="pw-for-tests-1")

    submission_approve(user=staff, submission=Submission.objects.get(unit=world.a, period=world.period("2022Q1")))

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = DashboardRun.objects.filter(trigger=RunTrigger.APPROVAL).first()
        if run and run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            break
        time.sleep(0.5)
    assert run is not None and run.status == RunStatus.SUCCEEDED, run and run.error
    assert (run.unit, run.period) == (world.a, world.period("2022Q1"))
    assert world.row(world.smes, "2022Q1").value == 20 + 30 + 40


@pytest.mark.worker
def test_after_an_approval_through_the_api_a_real_worker_has_the_api_serve_the_new_value(world, celery_worker_process,
                                                                                         api_client):
    """The API's pages of indicator values are cached under the latest run; the approval's run must reach them."""
    import time

    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10)
    world.report(world.a, "2022Q1", smes=40, approved=False)
    world.compute()
    api_client.force_login(get_user_model().objects.create_superuser("bureau", password="pw-for-tests-1"))
    path = (f"/api/v1/indicator-values/?plan={world.plan.code}&indicator={world.smes.code}&unit={world.a.code}"
            "&period_after=2022Q1&period_before=2022Q1")

    def served():
        rows = api_client.get(path).json()["results"]
        return rows[0]["value"] if rows else None

    before = served()  # now cached
    assert api_client.post(f"/api/v1/submissions/{world.a.code}/2022Q1/approve/").status_code == 200

    deadline = time.monotonic() + 60
    while served() == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert before is None or Decimal(before) != 40
    assert Decimal(served()) == 40


def test_with_the_broker_down_the_approval_stands_and_the_run_waits(world, django_capture_on_commit_callbacks):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10)
    world.compute()

    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        quarter_approved.send(sender=None, unit=world.a, period=world.period("2021Q4"))

    run = DashboardRun.objects.get(trigger=RunTrigger.APPROVAL)
    assert run.status == RunStatus.PENDING
    assert "消息队列不可用" in run.error
    assert latest_run().trigger == RunTrigger.MANUAL
    assert newer_data_waiting(latest_run())
    assert IndicatorValue.objects.filter(scope=Scope.CITY).exists(), "the last computed set is still there"


def test_a_run_already_queued_for_the_unit_is_not_queued_again(world, django_capture_on_commit_callbacks):
    world.compute()  # does the work of the run the world's creation asked for
    queued = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a)

    with django_capture_on_commit_callbacks(execute=True):
        quarter_approved.send(sender=None, unit=world.a, period=world.period("2021Q4"))

    assert list(DashboardRun.objects.filter(status=RunStatus.PENDING)) == [queued]


def test_a_redelivered_run_is_computed_once(world):
    run = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a)

    assert dashboard_run_claim(run_id=run.pk) == run
    assert dashboard_run_claim(run_id=run.pk) is None


def test_a_run_whose_worker_died_is_taken_again_by_its_redelivered_task_but_a_finished_one_is_not(world):
    run = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a)
    dashboard_run_claim(run_id=run.pk)  # the attempt that is then killed

    assert dashboard_run_claim(run_id=run.pk, redelivered=True) == run
    dashboards_compute(run=run)
    assert dashboard_run_claim(run_id=run.pk, redelivered=True) is None


def test_a_run_left_running_past_any_redelivery_is_sent_again_and_computed(world):
    """Its worker died and its task was lost (Redis keeps nothing across a restart) or it was a nightly run,
    whose redelivered task starts a new run: the beat's sweep sends it again; a run still in time is left."""
    world.report(world.a, "2021Q4", smes=10)
    lost, live = (dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=unit) for unit in (world.a, world.b))
    for run, started in ((lost, timezone.now() - abandoned_after() - timedelta(minutes=1)), (live, timezone.now())):
        DashboardRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=started)

    assert enqueue_waiting_dashboard_runs() == 1  # computed at once: tasks run eagerly here

    lost.refresh_from_db(), live.refresh_from_db()
    assert (lost.status, lost.error) == (RunStatus.SUCCEEDED, "")
    assert IndicatorValue.objects.filter(run=lost, unit=world.a).exists()
    assert live.status == RunStatus.RUNNING

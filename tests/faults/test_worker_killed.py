"""A Celery worker killed with SIGKILL in the middle of a dashboard computation and of an import.

The worker is stopped for real in the middle: the test holds a row lock (or a table lock) the task needs late
in its transaction, so when the worker waits for it, it has already written rows the others must not see. It is
then killed; the task, acknowledged only when it ends (acks_late), stays in Redis, and a new worker gets it
again once the visibility timeout (1 s here) has passed. The result must equal an undisturbed run.
"""
import signal
import time
from collections import Counter

import pytest
from django.db import connection

from conftest import current_database_url, require_worker_services, start_celery_worker, stop_celery_worker
from districts.choices import ImportStatus, SubmissionState
from districts.models import ImportJob, Period, Submission, Unit
from districts.services import period_open
from districts.spreadsheets.importer import import_check, import_claim, import_job_create
from districts.tasks import import_apply_task
from districts.tests.files import csv_bytes, header_of
from enterprises.models import EnterpriseFigures
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun, Indicator, IndicatorValue, Plan, Target
from indicators.services import dashboard_run_create, dashboards_compute
from indicators.spread import staging_tables, unit_ranges
from indicators.tasks import compute_dashboards
from tests.faults.locks import RowLock

pytestmark = [pytest.mark.faults, pytest.mark.worker, pytest.mark.slow]

TECH = "enterprises.tech_smes"
THROUGH_REDIS = {"CELERY_TASK_ALWAYS_EAGER": "0"}  # a spread run's parts go to the workers, as in production


@pytest.fixture
def start_worker(transactional_db):
    """start_worker() starts a real worker that takes a dead worker's task after 1 s; all are stopped after.
    `start_worker(CELERY_TASK_ALWAYS_EAGER="0")`: one that sends a chord's tasks through Redis, as in production."""
    require_worker_services()
    started = []

    def start(**env):
        started.append(start_celery_worker(CELERY_VISIBILITY_TIMEOUT="1", CELERY_RESTORE_SECONDS="1", **env))
        return started[-1]

    yield start
    for worker in started:
        stop_celery_worker(worker)


def kill(worker) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def wait_for(model, pk, done, timeout=90):
    deadline = time.monotonic() + timeout
    while not done(row := model.objects.get(pk=pk)):
        if time.monotonic() > deadline:
            pytest.fail(f"{model.__name__} {pk} did not finish within {timeout} s: {row.status}")
        time.sleep(0.3)
    return row


def snapshot() -> Counter:
    """The snapshot rows, without what differs between two runs of the same computation."""
    fields = [f.attname for f in IndicatorValue._meta.concrete_fields if f.name not in ("id", "run", "computed_at")]
    return Counter(IndicatorValue.objects.values_list(*fields))


def snapshot_runs() -> set[int]:
    return set(IndicatorValue.objects.values_list("run", flat=True).distinct())


def report_tech_smes():
    Target.objects.exclude(indicator__code="tech_smes").delete()  # one indicator keeps the run short
    Indicator.objects.exclude(code="tech_smes").delete()
    for index, unit in enumerate(Unit.objects.all()):
        for code, base in (("2022Q4", 100), ("2023Q4", 130)):
            period = Period.objects.get_by_code(code)
            EnterpriseFigures.objects.create(unit=unit, period=period, tech_smes=base + index)
            Submission.objects.create(unit=unit, period=period, state=SubmissionState.APPROVED)


def killed_while_waiting(start_worker, worker, lock, run):
    """Kill `worker` once it waits for `lock` in the middle of `run`, then start one that redoes it: what readers
    saw meanwhile (the rows and their runs), the run's row right after the kill, and the run once redone."""
    try:
        lock.wait_until_someone_waits()
        seen = snapshot(), snapshot_runs()
        kill(worker)
    finally:
        lock.release()
    after_the_kill = DashboardRun.objects.get(pk=run.pk)
    start_worker(**THROUGH_REDIS)
    redone = wait_for(DashboardRun, run.pk, lambda r: r.status in (RunStatus.SUCCEEDED, RunStatus.FAILED))
    return seen, after_the_kill, redone


def test_a_worker_killed_in_the_middle_of_a_dashboard_run_shows_nothing_half_done_and_the_run_is_redone(
    start_worker, chongqing
):
    report_tech_smes()
    undisturbed_run = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
    undisturbed = snapshot()
    # A full run is spread into parts, then swapped in: the swap, in its (uncommitted) transaction, asks for the
    # snapshot table, which a row lock on it holds up.
    last_plan_row = IndicatorValue.objects.filter(plan=list(Plan.objects.all())[-1]).first()
    lock = RowLock(current_database_url(), IndicatorValue._meta.db_table, last_plan_row.pk)
    worker = start_worker(**THROUGH_REDIS)
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)

    compute_dashboards.delay(run.pk)
    seen_in_the_middle, after_the_kill, run = killed_while_waiting(start_worker, worker, lock, run)

    assert seen_in_the_middle == (undisturbed, {undisturbed_run.pk})
    assert after_the_kill.status == RunStatus.RUNNING, "the killed attempt had claimed the run"
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert snapshot_runs() == {run.pk}
    assert snapshot() == undisturbed


def test_a_worker_killed_in_the_middle_of_a_part_of_a_spread_run_loses_nothing_and_readers_see_the_old_snapshot(
    start_worker, chongqing
):
    report_tech_smes()
    undisturbed_run = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
    undisturbed = snapshot()
    worker = start_worker(**THROUGH_REDIS)
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)

    compute_dashboards.delay(run.pk)
    # A part stages its rows, then counts itself done on the run's row in the same transaction: once one part
    # has, the test takes that row, and the next part waits there with its rows staged, uncommitted.
    wait_for(DashboardRun, run.pk, lambda r: r.steps_done >= 1)
    lock = RowLock(current_database_url(), DashboardRun._meta.db_table, run.pk)
    seen_in_the_middle, in_the_middle, run = killed_while_waiting(start_worker, worker, lock, run)

    assert seen_in_the_middle == (undisturbed, {undisturbed_run.pk})
    assert in_the_middle.status == RunStatus.RUNNING
    assert 1 <= in_the_middle.steps_done < in_the_middle.steps_total - 1, "killed before every part was staged"
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.steps_done == run.steps_total and run.rows == undisturbed_run.rows
    assert snapshot_runs() == {run.pk}
    assert snapshot() == undisturbed


def test_a_worker_killed_while_building_the_new_snapshot_of_a_spread_run_loses_nothing(start_worker, chongqing):
    report_tech_smes()
    undisturbed_run = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
    undisturbed = snapshot()
    worker = start_worker(**THROUGH_REDIS)
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)

    compute_dashboards.delay(run.pk)
    # Once every part is staged, a plan's step inserts its ranked rows into the run's new table, which the test
    # holds: the step waits there with its part counted done, uncommitted.
    new_table = staging_tables(run.pk)[2]
    wait_for(DashboardRun, run.pk, lambda r: r.steps_total > 0 and new_table in connection.introspection.table_names())
    lock = RowLock.on_table(current_database_url(), new_table)
    seen_in_the_middle, in_the_middle, run = killed_while_waiting(start_worker, worker, lock, run)

    assert seen_in_the_middle == (undisturbed, {undisturbed_run.pk})
    parts = Plan.objects.count() * (1 + len(unit_ranges()))
    # The steps that write the new table wait behind the test's lock; a plan's ranking may have got in before the
    # test took it (the parts of a small country are quick), never the swap, which is the last step.
    assert parts <= in_the_middle.steps_done < in_the_middle.steps_total, \
        "killed once the parts were staged, before the new snapshot was swapped in"
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.steps_done == run.steps_total and run.rows == undisturbed_run.rows
    assert snapshot_runs() == {run.pk}
    assert snapshot() == undisturbed


def test_a_worker_killed_in_the_middle_of_an_import_writes_nothing_and_the_import_is_redone(
    start_worker, city_staff
):
    period = Period.objects.get_by_code("2026Q3")
    period_open(user=city_staff, period=period, deadline=None)
    units = list(Unit.objects.order_by("order", "code"))  # the order the import saves the quarters in
    in_file = {unit.code: 200 + index for index, unit in enumerate(units)}
    rows = [[unit.code, unit.name, in_file[unit.code]] for unit in units]
    content = csv_bytes([["单位代码", "单位名称", header_of(TECH)], *rows])
    job, table = import_job_create(user=city_staff, file_name="全市.csv", content=content, period=period)
    import_check(job=job, table=table)
    assert import_claim(job=job)

    def versions():
        return dict(Submission.objects.filter(period=period).values_list("unit__code", "version"))

    versions_before = versions()

    def stored():
        return dict(EnterpriseFigures.objects.filter(period=period).values_list("unit__code", "tech_smes"))

    lock = RowLock(current_database_url(), Submission._meta.db_table,
                   Submission.objects.get(unit=units[-1], period=period).pk)
    worker = start_worker()

    import_apply_task.delay(job.pk)
    try:
        lock.wait_until_someone_waits()
        seen_in_the_middle = stored()
        kill(worker)
    finally:
        lock.release()
    start_worker()
    job = wait_for(ImportJob, job.pk, lambda j: j.status not in (ImportStatus.READY, ImportStatus.APPLYING))

    assert seen_in_the_middle == {}
    assert job.status == ImportStatus.DONE, job.error_summary
    assert stored() == in_file
    history = Counter(EnterpriseFigures.history.filter(period=period).values_list("unit__code", flat=True))
    assert history == Counter(in_file.keys()), "one history row per unit: the killed attempt left nothing"
    assert versions() == {code: version + 1 for code, version in versions_before.items()}

"""Approved only: every change to the set of approved quarters or to what they contain, or to what the numbers
are computed against, recomputes the dashboards once committed, and until that run lands the pages say newer
data waits. Tasks run eagerly here, so an executed on-commit callback is a landed run."""
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from districts.bulk import figures_bulk_save
from districts.models import Submission
from districts.services import figures_save, submission_reopen
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun
from indicators.selectors import latest_run, newer_data_waiting
from indicators.services import (
    cover_waiting_runs,
    dashboard_run_claim,
    dashboard_run_create,
    dashboard_runs_enqueue_waiting,
    dashboards_compute,
    dashboards_request_recompute,
)
from tests.threads import at_once


@pytest.fixture
def computed(world, city_staff_of_world):
    for unit, smes in ((world.a, 10), (world.b, 20), (world.c, 30), (world.zone, 5)):
        world.report(unit, "2021Q4", smes=smes)
    world.target(world.smes, "2025Q4", 100)
    world.compute()
    assert not newer_data_waiting(latest_run())
    return world


def city_total(world):
    return world.row(world.smes, "2021Q4").value


def reopen(world, staff):
    submission_reopen(user=staff, submission=Submission.objects.get(unit=world.a, period=world.period("2021Q4")),
                      reason="补充材料")


def correct(world, staff):
    figures_save(user=staff, unit=world.a, period=world.period("2021Q4"), values={"enterprises.tech_smes": 13})


def bulk_write(world, staff):
    result = figures_bulk_save(user=staff, rows=[{"unit": world.a.code, "enterprises.tech_smes": 13}], period="2021Q4")
    assert result.written, result.conflicts


def uncount(world, staff):
    world.a.counts_toward_city_total = False
    world.a.save()


def move_to_south(world, staff):
    world.b.group = world.south
    world.b.save()


def change_target(world, staff):
    target = world.plan.targets.get()
    target.value = 120
    target.save()


CHANGES = {
    # change: (what the city total and the 2025Q4 target read once the run has landed)
    reopen: (None, 100),  # a is no longer approved: the city total waits for it
    correct: (13 + 20 + 30, 100),
    bulk_write: (13 + 20 + 30, 100),
    uncount: (20 + 30, 100),
    move_to_south: (10 + 20 + 30, 100),
    change_target: (10 + 20 + 30, 120),
}


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_change_says_newer_data_waits_until_its_run_lands_and_then_shows(
    change, computed, city_staff_of_world, django_capture_on_commit_callbacks
):
    world = computed
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change(world, city_staff_of_world)

    assert newer_data_waiting(latest_run()), "the run is requested but not computed yet"
    assert city_total(world) == 60, "the old snapshot stands until the run lands"
    for callback in callbacks:
        callback()

    total, target = CHANGES[change]
    assert not newer_data_waiting(latest_run())
    assert city_total(world) == (None if total is None else Decimal(total))
    assert world.row(world.smes, "2025Q4").target_value == target


def test_a_group_total_follows_a_unit_moved_into_it(computed, city_staff_of_world, django_capture_on_commit_callbacks):
    world = computed
    with django_capture_on_commit_callbacks(execute=True):
        move_to_south(world, city_staff_of_world)

    assert world.row(world.smes, "2021Q4", group=world.south).value == 20 + 30
    assert world.row(world.smes, "2021Q4", group=world.north).value == 10


def test_renaming_a_unit_changes_no_number_and_asks_for_no_run(computed, django_capture_on_commit_callbacks):
    world = computed
    runs = DashboardRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        world.a.name = "甲区（新名）"
        world.a.save()

    assert DashboardRun.objects.count() == runs


def test_changes_while_a_run_waits_join_it_and_a_full_run_does_the_work_of_those_waiting(
    computed, city_staff_of_world
):
    world = computed
    reopen(world, city_staff_of_world)  # no on-commit callbacks run here: the requests stay pending
    change_target(world, city_staff_of_world)
    uncount(world, city_staff_of_world)

    waiting = list(DashboardRun.objects.filter(status=RunStatus.PENDING))
    assert sorted((run.trigger, run.unit) for run in waiting) == [
        (RunTrigger.REFERENCE, None), (RunTrigger.REOPEN, world.a)]
    full = world.compute()

    assert {run.status for run in DashboardRun.objects.filter(pk__in=[run.pk for run in waiting])} == {
        RunStatus.SUPERSEDED}
    assert not newer_data_waiting(full)


def land_waiting_runs():
    for run in DashboardRun.objects.filter(status=RunStatus.PENDING).order_by("pk"):
        if claimed := dashboard_run_claim(run_id=run.pk):
            dashboards_compute(run=claimed)


def full_run():
    return dashboard_run_claim(run_id=dashboard_run_create(trigger=RunTrigger.MANUAL).pk)


def test_a_change_made_while_a_run_computes_is_computed_by_a_later_run(computed, city_staff_of_world):
    """A run does the work of the runs waiting when it starts; a change to the same unit made once it has read the
    figures is not among them, so it waits for a run of its own rather than joining one taken over."""
    world = computed
    correct(world, city_staff_of_world)  # a's run waits (on-commit callbacks do not run here)

    def correct_again_during_the_run(done, total):
        if done == 1:
            figures_save(user=city_staff_of_world, unit=world.a, period=world.period("2021Q4"),
                         values={"enterprises.tech_smes": 17})

    dashboards_compute(run=full_run(), progress=correct_again_during_the_run)
    land_waiting_runs()

    assert city_total(world) == 17 + 20 + 30
    assert not newer_data_waiting(latest_run())


def test_a_run_that_fails_gives_back_the_runs_it_took_over_and_the_sweep_computes_them(computed, city_staff_of_world):
    world = computed
    correct(world, city_staff_of_world)
    [waiting] = DashboardRun.objects.filter(status=RunStatus.PENDING)

    def fail(done, total):
        raise RuntimeError("磁盘已满")

    with pytest.raises(RuntimeError):
        dashboards_compute(run=full_run(), progress=fail)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.superseded_by) == (RunStatus.PENDING, None)
    assert city_total(world) == 60

    assert dashboard_runs_enqueue_waiting() == 1  # tasks run eagerly here
    assert city_total(world) == 13 + 20 + 30


@pytest.mark.django_db(transaction=True)
def test_a_waiting_run_joined_by_a_change_not_yet_committed_is_left_to_its_own_task(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    waiting = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a)  # its task not sent yet
    run, covered, lock = full_run(), [], threading.Lock()
    lock.acquire()
    joined = threading.Event()

    def join_and_hold():
        with transaction.atomic():
            joined_run = dashboards_request_recompute(unit=world.a)
            joined.set()
            with lock:  # the change is still being saved until the test lets go
                return joined_run.pk

    def take_over(_lock):
        assert joined.wait(30)
        covered.extend(cover_waiting_runs(run))

    [joined_pk] = at_once(lock, join_and_hold, wait=take_over)

    waiting.refresh_from_db()
    assert joined_pk == waiting.pk and covered == [] and waiting.status == RunStatus.PENDING

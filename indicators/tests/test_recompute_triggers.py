"""Approved only: every change to the set of approved quarters or to what they contain, or to what the numbers
are computed against, recomputes the dashboards once committed, and until that run lands the pages say newer
data waits. Tasks run eagerly here, so an executed on-commit callback is a landed run."""
from decimal import Decimal

import pytest

from districts.bulk import figures_bulk_save
from districts.models import Submission
from districts.services import figures_save, submission_reopen
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun
from indicators.selectors import latest_run, newer_data_waiting


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

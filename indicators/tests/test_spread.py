"""A full run spread over workers (a chord of parts, then one swap) stores exactly what a run in one piece
stores, shows nothing until the swap, and takes a redone or stale part in its stride. Tasks run eagerly here:
a chord runs inline, parts first, as `make run` does it; tests/faults/test_worker_killed.py runs real workers."""
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count

from bench.generate import generate
from districts.choices import UnitKind
from districts.models import Unit, UnitGroup
from indicators.choices import RunStatus, RunTrigger
from indicators.models import DashboardRun, IndicatorValue, Plan
from indicators.services import dashboard_run_claim, dashboard_run_create, dashboards_compute
from indicators.spread import dashboards_spread, dashboards_stage, dashboards_swap, unit_ranges
from indicators.tasks import compute_dashboards

pytestmark = pytest.mark.django_db


def snapshot() -> Counter:
    """The snapshot rows, without what differs between two runs of the same computation."""
    fields = [f.attname for f in IndicatorValue._meta.concrete_fields if f.name not in ("id", "run", "computed_at")]
    return Counter(IndicatorValue.objects.values_list(*fields))


def runs_in_snapshot() -> dict[int, int]:
    return dict(IndicatorValue.objects.order_by().values_list("run").annotate(n=Count("pk")))


def snapshot_indexes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [IndicatorValue._meta.db_table])
        return cursor.fetchone()[0]


def in_one_piece() -> tuple[Counter, int]:
    run = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))
    return snapshot(), run.rows


def claimed_full_run() -> DashboardRun:
    return dashboard_run_claim(run_id=dashboard_run_create(trigger=RunTrigger.MANUAL).pk)


@pytest.fixture
def country():
    generate(units=50, groups=3, quarters=9, seed=5, log=lambda _: None)


def test_a_spread_run_stores_the_same_rows_and_ranks_as_a_run_in_one_piece(country):
    expected, rows = in_one_piece()
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)

    compute_dashboards.delay(run.pk)

    run.refresh_from_db()
    steps = 1 + Plan.objects.count() * (1 + len(unit_ranges()))  # each part, then the swap
    if connection.vendor == "postgresql":  # each plan's rows ranked into the new table, its indexes, its statistics
        steps += Plan.objects.count() + snapshot_indexes() + 1
    assert (run.status, run.rows, run.steps_done, run.steps_total) == (RunStatus.SUCCEEDED, rows, steps, steps)
    assert set(IndicatorValue.objects.values_list("run", flat=True)) == {run.pk}
    assert snapshot() == expected


def test_the_units_are_cut_into_parts_of_equal_size_that_cover_each_unit_once(country):
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    ranges = unit_ranges()

    def inside(pk, bounds):
        return (bounds[0] is None or pk >= bounds[0]) and (bounds[1] is None or pk < bounds[1])

    sizes = [sum(inside(pk, bounds) for pk in ids) for bounds in ranges]
    assert sum(sizes) == len(ids) and all(sum(inside(pk, b) for b in ranges) == 1 for pk in ids)
    assert len(ranges) > 1 and max(sizes) - min(sizes) <= 1
    assert ranges[0][0] is None and ranges[-1][1] is None  # a unit added meanwhile still falls in a part


@pytest.mark.parametrize(("units", "parts"), [(1, 1), (9, 1), (41, 4), (80, 8), (2850, 8), (5000, 10)])
def test_a_plans_units_are_cut_in_up_to_eight_parts_of_ten_to_five_hundred_units(units, parts):
    """Eight parts where each holds at least ten units; fewer for a small country (a part's fixed work would
    outweigh its share), more once a part would hold over five hundred."""
    group = UnitGroup.objects.create(code="all", name="全部")
    Unit.objects.bulk_create(Unit(code=f"U{n:05d}", name=f"单位{n}", kind=UnitKind.DISTRICT, group=group)
                             for n in range(units))

    assert len(unit_ranges()) == parts


def test_readers_see_the_previous_snapshot_until_the_swap_then_the_whole_new_one(country):
    before, _ = in_one_piece()
    previous_run = IndicatorValue.objects.values_list("run", flat=True).first()
    run = claimed_full_run()
    spread = dashboards_spread(run=run)
    attempt = spread["attempt"]

    for part in spread["parts"]:
        assert dashboards_stage(run_id=run.pk, attempt=attempt, part=part)
        assert runs_in_snapshot() == {previous_run: sum(before.values())}
    assert snapshot() == before
    run.refresh_from_db()
    assert (run.status, run.steps_done) == (RunStatus.RUNNING, len(spread["parts"]))

    dashboards_swap(run_id=run.pk, attempt=attempt, parts=spread["parts"], covered=spread["covered"])

    assert snapshot() == before and runs_in_snapshot() == {run.pk: sum(before.values())}


def test_a_part_done_twice_is_staged_once_and_a_part_never_done_is_done_by_the_swap(country):
    expected, rows = in_one_piece()
    run = claimed_full_run()
    spread = dashboards_spread(run=run)
    first, *others = spread["parts"]
    attempt = spread["attempt"]

    for part in others:
        dashboards_stage(run_id=run.pk, attempt=attempt, part=part)
    again = dashboards_stage(run_id=run.pk, attempt=attempt, part=others[0])  # redelivered after its commit
    dashboards_swap(run_id=run.pk, attempt=attempt, parts=spread["parts"], covered=spread["covered"])

    run.refresh_from_db()
    assert again is False
    assert (run.status, run.rows) == (RunStatus.SUCCEEDED, rows)
    assert snapshot() == expected


def test_the_parts_and_swap_of_an_attempt_taken_over_do_nothing(country):
    expected, _ = in_one_piece()
    run = claimed_full_run()
    old = dashboards_spread(run=run)
    run = dashboard_run_claim(run_id=run.pk, redelivered=True)  # its dispatching task redelivered
    new = dashboards_spread(run=run)

    staged_by_old = [dashboards_stage(run_id=run.pk, attempt=old["attempt"], part=part) for part in old["parts"]]
    dashboards_swap(run_id=run.pk, attempt=old["attempt"], parts=old["parts"], covered=old["covered"])
    still_running = DashboardRun.objects.get(pk=run.pk).status
    for part in new["parts"]:
        dashboards_stage(run_id=run.pk, attempt=new["attempt"], part=part)
    dashboards_swap(run_id=run.pk, attempt=new["attempt"], parts=new["parts"], covered=new["covered"])

    assert not any(staged_by_old) and still_running == RunStatus.RUNNING
    assert DashboardRun.objects.get(pk=run.pk).status == RunStatus.SUCCEEDED
    assert snapshot() == expected


def test_a_full_run_supersedes_the_runs_waiting_when_it_was_spread_and_redoes_a_unit_computed_meanwhile(country):
    in_one_piece()
    units = list(Unit.objects.order_by("pk")[:2])
    waiting = dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=units[0])
    run = claimed_full_run()
    spread = dashboards_spread(run=run)
    meanwhile = dashboards_compute(run=dashboard_run_claim(
        run_id=dashboard_run_create(trigger=RunTrigger.CHANGE, unit=units[1]).pk))

    for part in spread["parts"]:
        dashboards_stage(run_id=run.pk, attempt=spread["attempt"], part=part)
    dashboards_swap(run_id=run.pk, attempt=spread["attempt"], parts=spread["parts"], covered=spread["covered"])

    waiting.refresh_from_db()
    assert waiting.status == RunStatus.SUPERSEDED and meanwhile.status == RunStatus.SUCCEEDED
    [redo] = DashboardRun.objects.filter(pk__gt=meanwhile.pk)
    assert (redo.unit, redo.trigger, redo.status) == (units[1], RunTrigger.CHANGE, RunStatus.PENDING)


def test_a_step_run_inside_a_callers_transaction_leaves_its_planner_settings_as_they_were(country):
    """Ranking a plan plans without nested loops; the statements the caller runs after it in the same transaction
    (a test's, an eager chord's) are planned as before."""
    if connection.vendor != "postgresql":
        pytest.skip("the ranking step and its planner setting are PostgreSQL's")

    def planner_settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, setting FROM pg_settings WHERE name LIKE 'enable%%' ORDER BY name")
            return cursor.fetchall()

    before = planner_settings()
    run = claimed_full_run()
    spread = dashboards_spread(run=run)
    ranks = [part for part in spread["parts"] if "rank" in part]
    for part in spread["parts"]:
        dashboards_stage(run_id=run.pk, attempt=spread["attempt"], part=part)

    assert ranks and planner_settings() == before

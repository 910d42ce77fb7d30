"""How the computation scales, by behaviour: its reads do not grow with quarters or units, and one unit's
recompute leaves exactly the rows a full run would (ranks of the other units included)."""
import pytest
from django.db import connection
from django.db.models import Count, Max, Sum
from django.test.utils import CaptureQueriesContext

from districts.models import Period
from districts.registry import sections
from funds.models import EconomyFigures
from indicators import measures
from indicators.choices import RunTrigger
from indicators.computation import RunReads, plan_rows
from indicators.models import IndicatorValue, Plan
from indicators.services import dashboard_run_create, dashboards_compute

QUARTERS = ("2021Q4", "2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q4")


def snapshot() -> list[tuple]:
    """Every row's content, without what differs between two runs over the same data (id, run, time)."""
    fields = [f.attname for f in IndicatorValue._meta.concrete_fields
              if f.attname not in ("id", "run_id", "computed_at")]
    return sorted(IndicatorValue.objects.values_list(*fields), key=str)


def reads_of_a_full_run(world) -> int:
    """SELECTs only: SQLite's bulk_create splits the inserts by its limit of query parameters."""
    with CaptureQueriesContext(connection) as queries:
        world.compute()
    return sum(1 for query in queries if query["sql"].lstrip().upper().startswith("SELECT"))


def test_the_reads_of_a_full_run_do_not_grow_with_quarters_or_units(world):
    world.report(world.a, "2021Q4", smes=10, rd=100)
    few = reads_of_a_full_run(world)
    for number, code in enumerate(QUARTERS):
        for unit in (world.a, world.b, world.c, world.zone):
            world.report(unit, code, smes=10 + number, rd=100 + 10 * number)

    assert reads_of_a_full_run(world) == few


def test_one_units_recompute_leaves_the_rows_a_full_run_would(world):
    for number, code in enumerate(QUARTERS):
        for size, unit in enumerate((world.a, world.b, world.c, world.zone), start=1):
            world.report(unit, code, smes=10 * size + number, rd=100 * size + number)
    world.target(world.smes, "2025Q4", 200)
    world.target(world.rd, "2025Q4", 500, unit=world.a)
    world.compute()
    world.report(world.a, "2022Q2", smes=1000, rd=5)  # from last to first among the units, and back for R&D

    dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a))
    after_one_unit = snapshot()
    world.compute()

    assert after_one_unit == snapshot()
    moved = world.row(world.smes, "2022Q2", unit=world.zone)
    assert moved.rank_all == 2, "the other units' ranks moved with the recomputed unit"


def test_a_run_is_stamped_with_the_latest_save_of_the_figures_its_rows_used(world):
    world.report(world.a, "2021Q4", smes=10, rd=100)
    world.report(world.zone, "2022Q4", smes=3, rd=30)  # a zone: not in the city total, still in the city's data
    world.report(world.b, "2022Q4", smes=10, rd=100, approved=False)  # saved last, but not approved: not used
    full = world.compute()
    one = dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.APPROVAL, unit=world.a))

    latest = IndicatorValue.objects.aggregate(at=Max("data_updated_at"))["at"]
    assert full.data_updated_at == one.data_updated_at == latest
    assert latest == EconomyFigures.objects.get(unit=world.zone).updated_at


def test_a_plans_rows_do_not_depend_on_the_plans_read_with_it(world):
    """A run reads group totals and saves once for all its plans, over all their quarters; each plan still sees
    only its own quarters (a save in a quarter before a later plan's does not stamp that plan's rows)."""
    later = Plan.objects.create(code="t-later", name="后期规划", baseline=world.period("2023Q4"))
    world.target(world.smes, "2025Q4", 200)
    for number, code in enumerate(("2022Q4", "2023Q4", "2024Q4")):
        for unit in (world.a, world.b, world.c, world.zone):
            world.report(unit, code, smes=10 + number, rd=100 + number)
    world.report(world.a, "2021Q1", smes=5, rd=50)  # saved last, in the first plan's quarters only
    run = dashboard_run_create(trigger=RunTrigger.MANUAL)

    def rows(plans):
        return [row._replace(computed_at=None) for row in plan_rows(later, run=run, reads=RunReads(plans))]

    alone = rows([later])
    assert alone == rows([world.plan, later])
    assert max(row.data_updated_at for row in alone) < EconomyFigures.objects.get(unit=world.a,
                                                                                  period__year=2021).updated_at


def figure_sums(key: str, periods, by: tuple[str, ...], unit_ids=None) -> dict:
    """Σ and count of one approved figure per `by`, read on its own."""
    section, figure = sections.figure(key)
    rows = measures.approved_rows(section.model, periods).filter(**{f"{figure.field}__isnull": False})
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    sums = rows.order_by().values(*by).annotate(v=Sum(figure.field), n=Count("pk")).values_list(*by, "v", "n")
    return {tuple(row[:-2]): (row[-2], row[-1]) for row in sums}


def latest_update(periods, by: str, unit_ids=None) -> dict:
    """The latest save of any approved figure per `by`, read section by section."""
    latest = {}
    for section in sections:
        if not section.figures:
            continue
        rows = measures.approved_rows(section.model, periods)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        for key, at in rows.order_by().values(by).annotate(at=Max("updated_at")).values_list(by, "at"):
            latest[key] = max(at, latest.get(key, at))
    return latest


@pytest.mark.parametrize("by", [measures.BY_GROUP, measures.BY_UNIT])
def test_a_sections_totals_read_at_once_are_each_figures_own(world, by):
    world.report(world.a, "2021Q4", smes=10, rd=100)
    world.report(world.b, "2021Q4", smes=7)  # R&D left empty: its group's R&D count is 1
    world.report(world.zone, "2022Q4", rd=30)  # only R&D: its group has no SME total that quarter
    world.report(world.c, "2022Q4", smes=1, rd=2, approved=False)
    periods = list(Period.objects.all())
    units = [world.a.pk, world.zone.pk, world.c.pk] if by == measures.BY_UNIT else None

    sums, latest = measures.section_totals(periods, by, units)

    figures = [figure for section in sections for figure in section.figures]
    assert {figure.key: sums[figure.key] for figure in figures} == {
        figure.key: figure_sums(figure.key, periods, by, units) for figure in figures
    }
    by_key = {}
    for (key, _), at in latest.items():
        by_key[key] = max(at, by_key.get(key, at))
    assert by_key == latest_update(periods, by[0], units)

"""The computation against small hand-worked cases (figures, targets and expected numbers built here)."""
from decimal import Decimal

import pytest

from districts.signals import quarter_approved
from indicators.choices import RunStatus, RunTrigger, Scope, Status
from indicators.models import DashboardRun, IndicatorValue
from indicators.selectors import quota_gaps


def d(number) -> Decimal:
    return Decimal(str(round(number, 4)))


def test_city_and_group_totals_add_the_divisions_and_rank_the_zone_beside_them(world):
    figures = {world.a: 10, world.b: 20, world.c: 30, world.zone: 100}
    for unit, smes in figures.items():
        world.report(unit, "2021Q4", smes=smes)
    world.compute()

    city = world.row(world.smes, "2021Q4")
    assert city.value == sum(v for u, v in figures.items() if u != world.zone)
    assert (city.units_reporting, city.units_expected) == (3, 3)
    assert world.row(world.smes, "2021Q4", group=world.north).value == figures[world.a] + figures[world.b]
    assert not IndicatorValue.objects.filter(group=world.zone.group).exists()
    assert world.row(world.smes, "2021Q4", unit=world.zone).rank_all == 1
    assert world.row(world.smes, "2021Q4", unit=world.a).rank_all == 4
    assert world.row(world.smes, "2021Q4", unit=world.a).rank_in_group == 2
    assert world.row(world.smes, "2021Q4", unit=world.c).rank_in_group == 1


def test_a_target_already_met_at_the_baseline_is_achieved(world):
    for unit, smes in {world.a: 10, world.b: 20, world.c: 30}.items():
        world.report(unit, "2021Q4", smes=smes)
    world.target(world.smes, "2025Q4", 50)
    world.compute()

    row = world.row(world.smes, "2021Q4")
    assert row.status == Status.ACHIEVED
    assert row.progress == 100
    assert row.gap == 60 - 50


def test_a_zero_baseline_is_judged_on_the_straight_path(world):
    quota, reached = 10, {world.a: 5, world.b: 2, world.c: 4}
    for unit, value in reached.items():
        world.report(unit, "2021Q4", smes=0)
        world.report(unit, "2023Q4", smes=value)
        world.target(world.smes, "2025Q4", quota, unit=unit)
    world.compute()

    elapsed, quarters = 8, 16
    expected = {world.a: Status.ON_TRACK, world.b: Status.OFF_TRACK, world.c: Status.AT_RISK}
    for unit, value in reached.items():
        row = world.row(world.smes, "2023Q4", unit=unit)
        pace = (value / elapsed) / (quota / quarters)
        assert row.pace_ratio == d(pace)
        assert row.progress == d(100 * value / quota)
        assert row.expected_progress == d(100 * elapsed / quarters)
        assert row.status == expected[unit], (unit, pace)


def test_a_missing_quarter_leaves_the_unit_without_data_and_the_city_total_empty(world):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10)
    world.report(world.a, "2022Q1", smes=11)
    world.report(world.c, "2022Q1", smes=12)
    world.report(world.b, "2022Q2", smes=99, approved=False)
    world.report(world.a, "2022Q2", smes=12)
    world.report(world.c, "2022Q2", smes=13)
    world.compute()

    missing = world.row(world.smes, "2022Q1", unit=world.b)
    assert (missing.value, missing.status) == (None, Status.NO_DATA)
    city = world.row(world.smes, "2022Q1")
    assert city.value is None
    assert (city.units_reporting, city.units_expected) == (2, 3)
    assert world.row(world.smes, "2022Q2", unit=world.b).value is None, "an unapproved quarter does not count"
    assert world.row(world.smes, "2022Q2", unit=world.a).rank_all == 2


def test_a_unit_that_joins_later_has_its_own_baseline_and_is_not_expected_before(world):
    world.c.joined = world.period("2023Q1")
    world.c.save()
    for code in ("2021Q4", "2022Q4", "2023Q1", "2024Q1"):
        world.report(world.a, code, smes=10)
        world.report(world.b, code, smes=20)
    world.report(world.c, "2023Q1", smes=40)
    world.report(world.c, "2024Q1", smes=60)
    world.target(world.smes, "2025Q4", 100, unit=world.c)
    world.compute()

    before = world.row(world.smes, "2022Q4")
    assert (before.value, before.units_expected) == (10 + 20, 2)
    assert world.row(world.smes, "2023Q1").units_expected == 3
    row = world.row(world.smes, "2024Q1", unit=world.c)
    assert row.baseline_period == world.period("2023Q1")
    assert row.baseline_value == 40
    assert row.progress == d(100 * (60 - 40) / (100 - 40))
    assert row.expected_progress == d(100 * 4 / 11)  # 4 of the 11 quarters from 2023Q1 to 2025Q4
    assert world.row(world.smes, "2022Q4", unit=world.c).units_expected == 0


def test_quotas_that_do_not_add_up_to_the_city_target_are_reported(world):
    target = world.target(world.smes, "2025Q4", 100)
    quotas = {world.a: 30, world.b: 30, world.c: 30, world.zone: 50}
    for unit, quota in quotas.items():
        world.target(world.smes, "2025Q4", quota, unit=unit)

    [gap] = quota_gaps(world.plan)
    counted = sum(q for u, q in quotas.items() if u.counts_toward_city_total)
    assert (gap.parts, gap.count, gap.total) == ("unit", 3, counted)
    assert gap.gap == counted - target.value


def test_after_the_horizon_the_outcome_says_met_or_missed_and_by_how_much(world):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=20)
        world.report(unit, "2023Q4", smes=30)
        world.report(unit, "2024Q4", smes=40)
    world.target(world.smes, "2023Q4", 100)
    world.compute()

    at_horizon = world.row(world.smes, "2023Q4")
    assert at_horizon.status == Status.OFF_TRACK
    assert at_horizon.gap == 3 * 30 - 100
    later = world.row(world.smes, "2024Q4")
    assert later.target_period == world.period("2023Q4")
    assert later.status == Status.ACHIEVED


def test_rd_growth_compares_the_same_quarter_across_the_year_boundary(world):
    spending = {"2021Q4": 100, "2022Q1": 30, "2022Q4": 121, "2023Q1": 36, "2023Q4": 144}
    for code, rd in spending.items():
        world.report(world.a, code, rd=rd)
    world.target(world.rd_growth, "2025Q4", 10, scope=Scope.EACH_UNIT)
    world.compute()

    row = world.row(world.rd, "2023Q1", unit=world.a)
    assert row.yoy_growth == d(100 * (spending["2023Q1"] / spending["2022Q1"] - 1))
    assert row.avg_annual_growth == d(100 * (spending["2022Q4"] / spending["2021Q4"] - 1))
    growth = world.row(world.rd_growth, "2023Q4", unit=world.a)
    two_years = 100 * ((spending["2023Q4"] / spending["2021Q4"]) ** 0.5 - 1)
    assert growth.value == d(two_years)
    assert growth.status == Status.ON_TRACK
    assert growth.pace_ratio == d(two_years / 10)


def test_money_is_projected_both_linearly_and_by_compound_growth(world):
    world.report(world.a, "2021Q4", rd=100)
    world.report(world.a, "2023Q4", rd=144)
    world.target(world.rd, "2025Q4", 200, unit=world.a)
    world.compute()

    row = world.row(world.rd, "2023Q4", unit=world.a)
    assert row.projected_linear == d(144 + (144 - 100) / 8 * 8)
    assert row.projected_compound == d(144 * 1.2 ** 2)


def test_computing_twice_gives_the_same_rows_without_duplicates(world):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10, rd=100)
    world.target(world.smes, "2025Q4", 100)
    first = world.compute()
    before = list(IndicatorValue.objects.values_list("indicator", "period", "scope", "group", "unit", "value"))
    second = world.compute()

    after = list(IndicatorValue.objects.values_list("indicator", "period", "scope", "group", "unit", "value"))
    assert sorted(after, key=str) == sorted(before, key=str)
    assert first.rows == second.rows == len(after)
    assert set(IndicatorValue.objects.values_list("run", flat=True)) == {second.pk}


def test_an_approval_recomputes_that_unit_and_its_aggregates_only(world, django_capture_on_commit_callbacks):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", smes=10)
    first = world.compute()
    world.report(world.a, "2021Q4", smes=15)

    with django_capture_on_commit_callbacks(execute=True):
        quarter_approved.send(sender=None, unit=world.a, period=world.period("2021Q4"))

    run = DashboardRun.objects.latest("pk")
    assert (run.trigger, run.unit, run.status) == (RunTrigger.APPROVAL, world.a, RunStatus.SUCCEEDED)
    assert world.row(world.smes, "2021Q4").value == 15 + 10 + 10
    assert world.row(world.smes, "2021Q4", group=world.north).run == run
    assert world.row(world.smes, "2021Q4", unit=world.a).rank_all == 1
    untouched = world.row(world.smes, "2021Q4", unit=world.c)
    assert (untouched.run, untouched.rank_all) == (first, 2)


@pytest.mark.parametrize("value, status", [(141.4214, Status.ON_TRACK), (125, Status.AT_RISK), (110, Status.OFF_TRACK)])
def test_the_status_follows_the_statistics_canada_growth_ratio(value, status):
    from indicators.progress import Goal, assess

    goal = Goal(value=200, comparison="gte", direction="up", quarters=16)
    result = assess(value=value, baseline=100, goal=goal, elapsed=8)
    needed = 2 ** (1 / 4) - 1
    observed = (value / 100) ** (1 / 2) - 1
    assert result.pace_ratio == pytest.approx(observed / needed)
    assert result.status == status

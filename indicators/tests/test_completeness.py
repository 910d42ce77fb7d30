"""Complete or empty, ranked only when approved: DOMAIN.md "Rules of the numbers", on hand-worked cases."""
from decimal import Decimal

from indicators.models import Indicator
from platforms.models import Platform


def test_a_unit_whose_quarter_is_not_approved_is_not_ranked_and_does_not_move_the_ranks_of_the_others(world):
    for unit, rd in ((world.a, 100), (world.b, 100), (world.c, 100)):
        world.report(unit, "2021Q4", rd=rd)
        world.report(unit, "2022Q4", rd=rd * 2)
    # 2023Q3: a and c approved; b only submitted, with a high figure that would outrank both
    world.report(world.a, "2023Q3", rd=80)
    world.report(world.c, "2023Q3", rd=90)
    world.report(world.b, "2023Q3", rd=500, approved=False)
    world.compute()

    assert [world.row(world.rd, "2023Q3", unit=u).rank_all for u in (world.c, world.a)] == [1, 2]
    draft = world.row(world.rd, "2023Q3", unit=world.b)
    assert (draft.value, draft.rank_all, draft.rank_in_group, draft.units_reporting) == (None, None, None, 0)
    # growth since the baseline is carried between year ends, but never into a quarter that is not approved
    assert [world.row(world.rd_growth, "2023Q3", unit=u).rank_all for u in (world.a, world.b, world.c)] == [
        1, None, 1]


def test_a_platform_count_is_shown_for_every_unit_but_ranks_only_the_approved_ones(world):
    Platform.objects.create(unit=world.b, name="乙区平台", kind="incubator", level="district",
                            status="established", founded="2020-01-01")
    world.report(world.a, "2021Q4", smes=1)
    world.report(world.b, "2021Q4", smes=1, approved=False)
    count = Indicator.objects.create(code="t_platforms", name="平台数", unit_label="个", method="platform_count")
    world.compute()

    b, a = (world.row(count, "2021Q4", unit=u) for u in (world.b, world.a))
    assert (b.value, b.rank_all) == (Decimal(1), None)
    assert (a.value, a.rank_all) == (Decimal(0), 1)


def test_city_and_group_growth_stay_empty_until_every_expected_unit_is_approved(world):
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2021Q4", rd=100)
        world.report(unit, "2022Q4", rd=110)
    world.report(world.a, "2023Q1", rd=30)
    world.report(world.b, "2023Q1", rd=30)
    world.report(world.c, "2023Q1", rd=30, approved=False)
    world.compute()

    year_end = world.row(world.rd_growth, "2022Q4")
    assert year_end.value == Decimal("10.0000")  # 330 after 300 a year before
    city = world.row(world.rd_growth, "2023Q1")
    assert (city.value, city.units_reporting, city.units_expected) == (None, 2, 3)
    assert world.row(world.rd, "2023Q1").avg_annual_growth is None
    north = world.row(world.rd_growth, "2023Q1", group=world.north)
    assert north.value == Decimal("10.0000"), "a and b are the whole north group, both approved"
    assert world.row(world.rd_growth, "2023Q1", group=world.south).value is None

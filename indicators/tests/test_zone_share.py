"""High-tech zones' share of industrial output (DOMAIN.md, "High-tech zones' share"), worked out by hand."""
from decimal import Decimal

from districts.choices import SubmissionState
from districts.models import Submission
from funds.models import EconomyFigures
from indicators.models import Indicator


def zone_figures(world, *, zone_state=SubmissionState.APPROVED) -> Indicator:
    """甲区 and 丙县 report the zone inside them; 乙区 has none; the functional zone (like 重庆高新区) reports its own
    zone as a unit, and its industrial output, already inside its hosts', stays out of the denominator."""
    figures = {world.a: (1000, 400), world.b: (600, None), world.c: (400, 100), world.zone: (300, 250)}
    for unit, (industry, zone) in figures.items():
        unit.has_high_tech_zone = zone is not None
        unit.save()
        EconomyFigures.objects.create(unit=unit, period=world.period("2021Q4"), industrial_output=industry,
                                      zone_output=zone)
        state = zone_state if unit == world.zone else SubmissionState.APPROVED
        Submission.objects.create(unit=unit, period=world.period("2021Q4"), state=state)
    return Indicator.objects.create(code="t_zone_share", name="高新区工业总产值占比", unit_label="%", method="ratio",
                                    figure="economy.zone_output", denominator="economy.industrial_output", order=4)


def test_each_zone_counts_once_over_the_industrial_output_of_the_counted_units(world):
    share = zone_figures(world)
    world.compute()

    city = world.row(share, "2021Q4")
    assert city.value == Decimal("37.5")  # (400 + 100 + 250) / (1000 + 600 + 400)
    assert (city.units_reporting, city.units_expected) == (4, 4)  # the 3 divisions and the zone with its own zone
    assert world.row(share, "2021Q4", group=world.north).value == Decimal("25")  # 400 / (1000 + 600)
    assert world.row(share, "2021Q4", unit=world.zone).value == Decimal("83.3333")  # 250 / 300
    assert world.row(share, "2021Q4", unit=world.b).value is None


def test_the_city_share_waits_for_the_functional_zone_that_reports_its_own_zone(world):
    share = zone_figures(world, zone_state=SubmissionState.SUBMITTED)
    world.compute()

    # Without the zone's own report its zone would be counted zero times: (400 + 100) / 2000 = 25% is not the share.
    city = world.row(share, "2021Q4")
    assert (city.value, city.units_reporting, city.units_expected) == (None, 3, 4)
    north = world.row(share, "2021Q4", group=world.north)
    assert (north.value, north.units_reporting, north.units_expected) == (Decimal("25"), 2, 2)
    assert world.row(world.smes, "2021Q4").units_expected == 3, "other figures expect the counted units only"

"""A target for "every district" says which units it applies to (DOMAIN.md, "Zones"): the districts and counties
unless the plan includes the functional zones."""
import pytest

from indicators.choices import AppliesTo, Scope, Status
from indicators.dashboards import outcome_table
from indicators.models import IndicatorValue, Target


@pytest.fixture
def every_unit_reports(world):
    for unit, smes in ((world.a, 120), (world.b, 80), (world.c, 100), (world.zone, 40)):
        world.report(unit, "2021Q4", smes=smes - 20)
        world.report(unit, "2025Q4", smes=smes)
    return world


def test_a_target_for_every_district_leaves_the_functional_zones_out(every_unit_reports):
    w = every_unit_reports
    w.target(w.smes, "2025Q4", 100, scope=Scope.EACH_UNIT)
    w.compute()

    zone = w.row(w.smes, "2025Q4", unit=w.zone)
    assert (zone.target, zone.target_value, zone.status) == (None, None, Status.NO_DATA)
    assert w.row(w.smes, "2025Q4", unit=w.b).status == Status.OFF_TRACK
    outcome = outcome_table(IndicatorValue.objects.all(), w.plan, w.period("2025Q4"))
    assert [(row["place"], row["met"]) for row in outcome.rows] == [("甲区", "已完成"), ("乙区", "未完成"),
                                                                     ("丙县", "已完成")]


def test_a_plan_that_includes_the_zones_applies_it_to_them_too(every_unit_reports):
    w = every_unit_reports
    target = w.target(w.smes, "2025Q4", 100, scope=Scope.EACH_UNIT)
    target.applies_to = AppliesTo.ALL_UNITS
    target.save()
    w.compute()

    zone = w.row(w.smes, "2025Q4", unit=w.zone)
    assert (zone.target, zone.status) == (target, Status.OFF_TRACK)


def test_a_unit_quota_overrides_the_every_district_target_even_for_a_zone(every_unit_reports):
    w = every_unit_reports
    w.target(w.smes, "2025Q4", 100, scope=Scope.EACH_UNIT)
    quota = w.target(w.smes, "2025Q4", 30, unit=w.zone)
    w.compute()

    assert w.row(w.smes, "2025Q4", unit=w.zone).target == quota


def test_only_an_every_district_target_chooses_which_units(world):
    from django.core.exceptions import ValidationError

    target = Target(plan=world.plan, indicator=world.smes, period=world.period("2025Q4"), scope=Scope.CITY,
                    value=10, applies_to=AppliesTo.ALL_UNITS)
    with pytest.raises(ValidationError, match="适用单位"):
        target.full_clean()


def test_the_api_and_the_admin_say_which_units_a_target_applies_to(world, city_staff_of_world, client_for):
    world.target(world.smes, "2025Q4", 100, scope=Scope.EACH_UNIT)
    client = client_for(city_staff_of_world)

    [row] = client.get("/api/v1/targets/", {"plan": world.plan.code}).json()["results"]
    assert (row["scope"], row["applies_to"]) == (Scope.EACH_UNIT, AppliesTo.DIVISIONS)
    page = client.get("/admin/indicators/target/").content.decode()
    assert str(AppliesTo.DIVISIONS.label) in page

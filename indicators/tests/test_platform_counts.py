"""Platform counts through time on the dashboards (DOMAIN.md, "Platforms through time"), worked out by hand."""
import datetime

import pytest

from indicators.models import Indicator
from platforms.choices import PlatformKind, PlatformLevel
from platforms.choices import PlatformStatus as S
from platforms.models import Platform, PlatformMilestone

D = datetime.date


def platform(unit, name, status, *, founded=None, kind=PlatformKind.INNOVATION_PARK, featured=True, steps=()):
    """A platform with its milestones: steps are (quarter code, date, status or "")."""
    from districts.models import Period

    made = Platform.objects.create(unit=unit, name=name, kind=kind, level=PlatformLevel.DISTRICT, status=status,
                                   featured=featured, founded=founded)
    for code, date, step in steps:
        PlatformMilestone.objects.create(platform=made, period=Period.objects.get_by_code(code), date=date,
                                         title=name, status=step)
    return made


@pytest.fixture
def platforms_world(world):
    """甲区 builds from 2022, 乙区's platform is founded established in 2023, 丙县's has only an unstated milestone;
    丙县 becomes an innovative county in June 2024, 乙区 has been one since 2018."""
    platform(world.a, "甲平台", S.ESTABLISHED, founded=D(2021, 6, 1),
             steps=[("2022Q2", D(2022, 5, 10), S.UNDER_CONSTRUCTION), ("2023Q3", D(2023, 8, 1), S.ESTABLISHED)])
    platform(world.b, "乙平台", S.ESTABLISHED, founded=D(2023, 2, 1))
    platform(world.c, "丙平台", S.ESTABLISHED, steps=[("2022Q3", D(2022, 9, 1), "")])
    platform(world.c, "丙县创新型县", S.ESTABLISHED, founded=D(2020, 1, 1), kind=PlatformKind.INNOVATIVE_COUNTY,
             featured=False, steps=[("2024Q2", D(2024, 6, 15), S.ESTABLISHED)])
    platform(world.b, "乙区创新型县", S.ESTABLISHED, founded=D(2018, 1, 1), kind=PlatformKind.INNOVATIVE_COUNTY,
             featured=False)
    for unit in (world.a, world.b, world.c):
        world.report(unit, "2024Q4", smes=1)  # approved data up to 2024Q4, so the rows reach it
    world.featured = Indicator.objects.create(
        code="t_featured", name="建成特色平台", unit_label="个", method="platform_count", order=4,
        params={"featured": True, "status_at_least": S.ESTABLISHED})
    world.new_counties = Indicator.objects.create(
        code="t_counties", name="新增国家创新型县", unit_label="个", method="platform_count", order=5,
        params={"kind": PlatformKind.INNOVATIVE_COUNTY, "status_at_least": S.ESTABLISHED, "since_baseline": True})
    world.compute()
    return world


def test_established_platforms_are_counted_from_the_day_each_was_established_and_never_fall(platforms_world):
    w = platforms_world
    # 2021Q4: 甲 was planned (below its first milestone, under construction); 乙 and 丙 did not exist yet.
    # 2022Q4: 丙 exists from its first milestone with its current status. 2023Q1: 乙 founded 1 Feb.
    # 2023Q4: 甲 established on 1 Aug.
    expected = {"2021Q4": 0, "2022Q4": 1, "2023Q1": 2, "2023Q4": 3, "2024Q4": 3}
    assert {code: w.row(w.featured, code).value for code in expected} == expected
    assert w.row(w.featured, "2022Q4", unit=w.a).value == 0
    assert w.row(w.featured, "2023Q4", unit=w.a).value == 1


def test_a_platform_established_after_the_baseline_counts_as_new(platforms_world):
    w = platforms_world
    # 丙县 was under construction at the 2021Q4 baseline (below its 2024 milestone); 乙区 was already established.
    assert w.row(w.new_counties, "2024Q1").value == 0
    assert w.row(w.new_counties, "2024Q2").value == 1
    assert w.row(w.new_counties, "2024Q4", unit=w.c).value == 1
    assert w.row(w.new_counties, "2024Q4", unit=w.b).value == 0

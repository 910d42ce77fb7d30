"""Evaluation inputs are taken as of the evaluation's quarter end, by the dashboards' rules."""
import datetime

from districts.models import Period, Unit
from evaluation.inputs import indicator_values
from indicators.models import Indicator
from platforms.choices import PlatformKind, PlatformLevel, PlatformStatus
from platforms.models import Platform, PlatformMilestone

from .conftest import FOUR


def test_platforms_are_counted_as_they_stood_at_the_evaluations_quarter_end(chongqing):
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=FOUR)}
    # 渝中's featured park (under construction in the reference data) is established in March 2025.
    yuzhong = Platform.objects.get(unit=units["500103"], featured=True)
    PlatformMilestone.objects.create(platform=yuzhong, period=Period.objects.get_by_code("2025Q1"),
                                     date=datetime.date(2025, 3, 20), title="建成投用",
                                     status=PlatformStatus.ESTABLISHED)
    yuzhong.status = PlatformStatus.ESTABLISHED
    yuzhong.save()
    # 江北's is founded in February 2025 and established since; 黔江's has been established since 2020.
    for code, founded in (("500105", datetime.date(2025, 2, 1)), ("500114", datetime.date(2020, 5, 1))):
        Platform.objects.create(unit=units[code], name=f"{code}特色平台", kind=PlatformKind.INNOVATION_PARK,
                                level=PlatformLevel.DISTRICT, status=PlatformStatus.ESTABLISHED, featured=True,
                                founded=founded)
    featured = Indicator.objects.get(code="featured_platforms")
    ids = {unit.pk: code for code, unit in units.items()}

    def counts(quarter):
        values = indicator_values(featured, Period.objects.get_by_code(quarter), list(ids))
        return {ids[pk]: value for pk, value in values.items()}

    # 渝北's agricultural zone is still under construction in both.
    assert counts("2024Q4") == {"500103": 0, "500105": 0, "500112": 0, "500114": 1}
    assert counts("2025Q4") == {"500103": 1, "500105": 1, "500112": 0, "500114": 1}

"""A small world for hand-worked cases: two groups of divisions, a functional zone, a few quarters.

Tests build the figures they need with `world.report(...)`; nothing here relies on the demo numbers.
"""
from dataclasses import dataclass

import pytest

from districts.choices import SubmissionState, UnitKind
from districts.models import Period, Submission, Unit, UnitGroup
from enterprises.models import EnterpriseFigures
from funds.models import EconomyFigures
from indicators.choices import RunTrigger, Scope
from indicators.models import Indicator, IndicatorValue, Plan, Target
from indicators.services import dashboard_run_create, dashboards_compute


@dataclass
class World:
    north: UnitGroup
    south: UnitGroup
    a: Unit
    b: Unit
    c: Unit
    zone: Unit
    smes: Indicator
    rd: Indicator
    rd_growth: Indicator
    plan: Plan

    @staticmethod
    def period(code: str) -> Period:
        return Period.objects.get_by_code(code)

    def report(self, unit: Unit, code: str, *, smes=None, rd=None, approved=True):
        period = self.period(code)
        if smes is not None:
            EnterpriseFigures.objects.update_or_create(unit=unit, period=period, defaults={"tech_smes": smes})
        if rd is not None:
            EconomyFigures.objects.update_or_create(unit=unit, period=period, defaults={"rd_spending": rd})
        state = SubmissionState.APPROVED if approved else SubmissionState.SUBMITTED
        Submission.objects.update_or_create(unit=unit, period=period, defaults={"state": state})

    def target(self, indicator, code: str, value, *, unit=None, group=None, scope=None, comparison="gte"):
        scope = scope or (Scope.UNIT if unit else Scope.GROUP if group else Scope.CITY)
        return Target.objects.create(
            plan=self.plan, indicator=indicator, period=self.period(code), scope=scope, unit=unit, group=group,
            value=value, comparison=comparison,
        )

    @staticmethod
    def compute():
        return dashboards_compute(run=dashboard_run_create(trigger=RunTrigger.MANUAL))

    def row(self, indicator, code: str, *, unit=None, group=None) -> IndicatorValue:
        rows = IndicatorValue.objects.filter(plan=self.plan, indicator=indicator, period=self.period(code))
        if unit:
            return rows.get(unit=unit)
        if group:
            return rows.get(group=group)
        return rows.get(scope=Scope.CITY)


@pytest.fixture
def world(db):
    for year in range(2020, 2028):
        for quarter in range(1, 5):
            Period.objects.create(year=year, quarter=quarter)
    north = UnitGroup.objects.create(code="north", name="北片")
    south = UnitGroup.objects.create(code="south", name="南片")
    zones = UnitGroup.objects.create(code="zones", name="功能区")

    def unit(code, name, group):
        return Unit.objects.create(code=code, name=name, kind=UnitKind.DISTRICT, group=group)

    return World(
        north=north, south=south,
        a=unit("900001", "甲区", north), b=unit("900002", "乙区", north), c=unit("900003", "丙县", south),
        zone=Unit.objects.create(code="Z1", name="丁功能区", kind=UnitKind.FUNCTIONAL_ZONE, group=zones,
                                 counts_toward_city_total=False),
        smes=Indicator.objects.create(code="t_smes", name="科技型企业数", unit_label="家", method="stock_sum",
                                      figure="enterprises.tech_smes", order=1),
        rd=Indicator.objects.create(code="t_rd", name="研发经费投入", unit_label="万元", method="flow_sum",
                                    figure="economy.rd_spending", order=2),
        rd_growth=Indicator.objects.create(code="t_rd_growth", name="研发经费年均增长率", unit_label="%",
                                           method="growth_rate", figure="economy.rd_spending", additive=False,
                                           order=3),
        plan=Plan.objects.create(code="t-plan", name="测试规划", baseline=Period.objects.get_by_code("2021Q4")),
    )


@pytest.fixture
def reported(chongqing):
    """Every Chongqing unit reports tech SMEs for 2022Q4 and 2023Q4 (approved), and the dashboards are computed.

    Returns {(unit code, period code): tech SMEs}, so tests compute what the pages should show.
    """
    figures = {}
    for index, unit in enumerate(Unit.objects.order_by("order", "code")):
        for code, base in (("2022Q4", 100), ("2023Q4", 130)):
            figures[unit.code, code] = base + index
            period = Period.objects.get_by_code(code)
            EnterpriseFigures.objects.create(unit=unit, period=period, tech_smes=base + index)
            Submission.objects.create(unit=unit, period=period, state=SubmissionState.APPROVED)
    World.compute()
    return figures


@pytest.fixture
def reported_world(world):
    """The small world reports tech SMEs for 2024Q4 and 2025Q4 against a 2025Q4 city target, computed."""
    for unit, base in ((world.a, 100), (world.b, 200), (world.c, 300), (world.zone, 50)):
        world.report(unit, "2024Q4", smes=base)
        world.report(unit, "2025Q4", smes=base + 20)
    world.target(world.smes, "2025Q4", 700)
    world.compute()
    return world


@pytest.fixture
def city_staff_of_world(world):
    """City staff for tests on the small world (without the Chongqing reference data)."""
    from conftest import make_user
    from portal import roles

    roles.sync_role_groups()
    return make_user("city_staff", roles.MUNICIPAL_STAFF, is_staff=True)

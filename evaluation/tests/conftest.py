"""A small scheme on four real units, fed from enterprise figures the tests write themselves."""
from decimal import Decimal

import pytest

from districts.models import Period, Unit, UnitGroup
from enterprises.models import EnterpriseFigures
from evaluation.models import Dimension, Scheme, SchemeIndicator
from indicators.models import Indicator

FOUR = ("500103", "500105", "500112", "500114")  # 渝中, 江北, 渝北 (central) and 黔江 (Wuling)


def put_figures(period, figures: dict) -> None:
    """figures: {unit code: (tech_smes, high_tech, little_giants)}."""
    for code, (tech_smes, high_tech, little_giants) in figures.items():
        EnterpriseFigures.objects.update_or_create(
            unit=Unit.objects.get(code=code), period=period,
            defaults={"tech_smes": tech_smes, "high_tech": high_tech, "little_giants": little_giants,
                      "specialised_smes": None if little_giants is None else little_giants * 10},
        )


@pytest.fixture
def period(chongqing):
    return Period.objects.get_by_code("2025Q4")


@pytest.fixture
def scheme(chongqing, period):
    """企业规模 0.6 (科技型企业 0.75, 高新技术企业 0.25) and 企业结构 0.4 (小巨人, here lower is better)."""
    scheme = Scheme.objects.create(name="测试方案", year=2025, period=period, recognition_count=2)
    scheme.units.set(Unit.objects.filter(code__in=FOUR))
    scheme.peer_groups.set(UnitGroup.objects.filter(code__in=["central", "southeast"]))
    size = Dimension.objects.create(scheme=scheme, name="企业规模", weight=Decimal("0.6"), order=1)
    shape = Dimension.objects.create(scheme=scheme, name="企业结构", weight=Decimal("0.4"), order=2)
    SchemeIndicator.objects.create(dimension=size, indicator=Indicator.objects.get(code="tech_smes"),
                                   weight=Decimal("0.75"))
    SchemeIndicator.objects.create(dimension=size, indicator=Indicator.objects.get(code="high_tech"),
                                   weight=Decimal("0.25"))
    fewer_is_better = Indicator.objects.create(code="giants_down", name="小巨人（测试：越少越好）", unit_label="家",
                                               method="stock_sum", figure="enterprises.little_giants",
                                               direction="down")
    SchemeIndicator.objects.create(dimension=shape, indicator=fewer_is_better, weight=Decimal("1"))
    return scheme

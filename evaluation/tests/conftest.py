"""A small scheme on four real units, fed from enterprise figures the tests write themselves."""
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from districts.models import Period, Unit, UnitGroup
from enterprises.models import EnterpriseFigures
from evaluation.models import Dimension, Scheme, SchemeIndicator
from evaluation.services import evaluation_create, evaluation_publish, evaluation_request_compute
from indicators.models import Indicator

FOUR = ("500103", "500105", "500112", "500114")  # 渝中, 江北, 渝北 (central) and 黔江 (Wuling)
# The hand-worked case of test_index through the database: 渝中 A, 江北 B, 渝北 C, 黔江 D. High-tech
# counts are up-is-better here, so they are x2 mirrored (10 - x2); little giants, counted fewer-is-better,
# are y1 mirrored (4 - y1): both normalise to the same scores as in test_index, and 江北 has none.
FIGURES = {"500103": (10, 9, 0), "500105": (30, 5, None), "500112": (20, 3, 2), "500114": (50, 1, 4)}


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


@pytest.fixture
def draft(scheme, period, django_capture_on_commit_callbacks):
    put_figures(period, FIGURES)
    evaluation = evaluation_create(scheme=scheme)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_request_compute(evaluation=evaluation)
    return evaluation


@pytest.fixture
def published(draft, city_staff):
    return evaluation_publish(evaluation=draft, actor=city_staff)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


"""The growth input is year-on-year growth and says so: it is the dashboard's 同比增长 of the same figure,
not the dashboard's average annual growth since a plan's baseline."""
from decimal import Decimal

import pytest

from evaluation.models import Dimension, Scheme, SchemeIndicator
from evaluation.services import evaluation_create, evaluation_request_compute
from indicators.tests.conftest import world  # noqa: F401 (the small world of hand-worked dashboard cases)


def test_the_growth_input_is_year_on_year_and_named_with_its_base(world, django_capture_on_commit_callbacks):  # noqa: F811
    # 甲区 spends 80 (2021Q4, the plan's baseline), 100 (2023Q4) and 120 (2024Q4); 乙区 100 and 110.
    for code, a, b in (("2021Q4", 80, 100), ("2023Q4", 100, 100), ("2024Q4", 120, 110)):
        world.report(world.a, code, rd=a)
        world.report(world.b, code, rd=b)
    world.compute()
    scheme = Scheme.objects.create(name="增速方案", year=2024, period=world.period("2024Q4"), recognition_count=1)
    scheme.units.set([world.a, world.b])
    pace = Dimension.objects.create(scheme=scheme, name="增速", weight=Decimal("1"))
    SchemeIndicator.objects.create(dimension=pace, indicator=world.rd_growth, weight=Decimal("1"))
    evaluation = evaluation_create(scheme=scheme)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_request_compute(evaluation=evaluation)
    evaluation.refresh_from_db()

    leaf = evaluation.inputs.get(unit=world.a)
    assert leaf.value == pytest.approx(20)  # 120 / 100 − 1, against the same quarter a year earlier
    assert evaluation.inputs.get(unit=world.b).value == pytest.approx(10)
    # the dashboard shows the same 20% as R&D spending's 同比增长, and 14.47% as the average annual growth
    # since 2021Q4: (120 / 80) ** (1 / 3) − 1. The evaluation's input is the first, and named for it.
    assert float(world.row(world.rd, "2024Q4", unit=world.a).yoy_growth) == pytest.approx(20)
    assert float(world.row(world.rd_growth, "2024Q4", unit=world.a).value) == pytest.approx(14.4714, abs=1e-3)
    frozen = evaluation.tree["dimensions"][0]["indicators"][0]
    assert frozen["name"] == "全社会研发经费投入同比增长率"
    assert "基期为上年同季度 2023Q4" in frozen["definition"] and "年均" not in frozen["name"]

"""A demo scheme evaluated at 2024Q4 (published) and 2025Q4 (draft, compared with 2024), so the report
shows rank changes. Its weights are illustrative, not a published scheme of the bureau."""
from decimal import Decimal

from districts.models import Period, UnitGroup
from evaluation.models import Dimension, EvaluationRun, Scheme, SchemeIndicator
from evaluation.services import evaluation_create, evaluation_publish, evaluation_run
from indicators.models import Indicator

TREE = (
    ("创新投入", "0.35", (("rd_spending", "0.4"), ("rd_intensity", "0.4"), ("rd_growth", "0.2"))),
    ("企业创新", "0.45", (("tech_smes", "0.35"), ("high_tech", "0.35"), ("specialised_smes", "0.15"),
                         ("little_giants", "0.15"))),
    ("创新平台", "0.20", (("featured_platforms", "1"),)),
)


def make_scheme(year: int) -> Scheme:
    scheme = Scheme.objects.create(
        name="区县科技创新发展评价（演示）", year=year, period=Period.objects.get_by_code(f"{year}Q4"),
        description="演示方案：权重仅作示例。", recognition_count=5,
    )
    scheme.peer_groups.set(UnitGroup.objects.filter(code__in=["central", "new-urban", "northeast", "southeast"]))
    for order, (name, weight, leaves) in enumerate(TREE, start=1):
        dimension = Dimension.objects.create(scheme=scheme, name=name, weight=Decimal(weight), order=order)
        for leaf_order, (code, leaf_weight) in enumerate(leaves, start=1):
            SchemeIndicator.objects.create(dimension=dimension, indicator=Indicator.objects.get(code=code),
                                           weight=Decimal(leaf_weight), order=leaf_order)
    return scheme


def compute(scheme: Scheme):
    evaluation = evaluation_create(scheme=scheme)
    evaluation_run(run_id=EvaluationRun.objects.create(evaluation=evaluation).pk)
    evaluation.refresh_from_db()
    return evaluation


def seed(ctx):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="city_staff")
    evaluation_publish(evaluation=compute(make_scheme(2024)), actor=staff)
    latest = compute(make_scheme(2025))
    ctx.log(f"evaluation: 2 schemes, {latest.results.count()} units ranked")

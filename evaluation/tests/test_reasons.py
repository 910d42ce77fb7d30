"""Reasons for recognition say when a unit shares its place and prefer what sets the unit apart."""
from evaluation.tests.conftest import put_figures

# (tech SMEs, high-tech enterprises, little giants — fewer is better) for 渝中, 江北, 渝北, 黔江
TIED = {"500103": (50, 9, 0), "500105": (50, 5, 0), "500112": (10, 1, 0), "500114": (10, 1, 4)}


def test_reasons_name_ties_and_prefer_the_input_that_distinguishes_the_unit(
    scheme, period, django_capture_on_commit_callbacks
):
    from evaluation.tests.test_services import computed

    put_figures(period, TIED)
    evaluation = computed(scheme, django_capture_on_commit_callbacks)
    # tech 10..50: 渝中 100, 江北 100, 渝北 0, 黔江 0; high-tech 1..9: 100, 50, 0, 0
    # 企业规模 = .75 tech + .25 high: 100, 87.5, 0, 0; 企业结构 (little giants 0..4, reversed): 100, 100, 100, 0
    # overall .6 · 企业规模 + .4 · 企业结构: 渝中 100, 江北 92.5, 渝北 40, 黔江 0; two recommended: 渝中, 江北
    reasons = {r.unit.code: r.reasons for r in evaluation.results.filter(recommended=True).select_related("unit")}
    assert reasons["500103"] == [
        "综合得分 100，全市第1位",
        # alone at the top of 企业规模; 渝中 shares first place in tech SMEs with 江北 but leads high-tech alone
        "企业规模得分 100（第1位），其中高新技术企业数 9家（第1位）",
        "企业结构得分 100（第1位，与另2个单位并列），其中小巨人（测试：越少越好） 0家（第1位，与另2个单位并列）",
    ]
    assert reasons["500105"][:2] == [
        "综合得分 92.5，全市第2位",
        # second alone in 企业规模 (2 units at least as good), ahead of 企业结构 shared by 3
        "企业规模得分 87.5（第2位），其中科技型企业数 50家（第1位，与另1个单位并列）",
    ]


def test_a_tie_in_the_overall_score_is_named_in_the_first_reason(scheme, period, django_capture_on_commit_callbacks):
    from evaluation.tests.test_services import computed

    # 渝中 and 江北 identical: both 100 overall, both first, the one shares the place with the other
    put_figures(period, {"500103": (50, 9, 0), "500105": (50, 9, 0), "500112": (10, 1, 4), "500114": (10, 1, 4)})
    evaluation = computed(scheme, django_capture_on_commit_callbacks)
    first = evaluation.results.get(unit__code="500103")
    assert first.reasons[0] == "综合得分 100，全市第1位，与另1个单位并列"

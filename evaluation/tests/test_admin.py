import pytest
from django.core.exceptions import ValidationError

from districts.models import Period
from evaluation.models import Scheme, SchemeIndicator
from indicators.models import Indicator


def scheme_form(weights):
    data = {"name": "新方案", "year": 2025, "period": Period.objects.get_by_code("2025Q4").pk,
            "normalisation": "minmax", "missing_rule": "reweight", "recognition_count": 5,
            "dimensions-TOTAL_FORMS": len(weights), "dimensions-INITIAL_FORMS": 0,
            "dimensions-MIN_NUM_FORMS": 0, "dimensions-MAX_NUM_FORMS": 1000}
    for n, weight in enumerate(weights):
        data |= {f"dimensions-{n}-name": f"维度{n}", f"dimensions-{n}-weight": weight, f"dimensions-{n}-order": n}
    return data


def test_the_admin_refuses_dimension_weights_that_do_not_sum_to_one(client_for, city_staff):
    response = client_for(city_staff).post("/admin/evaluation/scheme/add/", scheme_form(["0.5", "0.4"]))
    assert response.status_code == 200
    assert "评价维度的权重之和应为 1（允许误差 0.001），现在为 0.9" in response.content.decode()
    assert not Scheme.objects.exists()


def test_the_admin_saves_a_scheme_whose_weights_sum_to_one(client_for, city_staff):
    response = client_for(city_staff).post("/admin/evaluation/scheme/add/", scheme_form(["0.6", "0.4"]))
    assert response.status_code == 302
    assert Scheme.objects.get().dimensions.count() == 2


def test_an_indicator_without_unit_values_is_refused_in_a_scheme(scheme):
    counted = Indicator.objects.filter(method="units_reached").first() or Indicator.objects.create(
        code="units_reached_test", name="达标单位数", unit_label="个", method="units_reached")
    row = SchemeIndicator(dimension=scheme.dimensions.first(), indicator=counted, weight=0)
    with pytest.raises(ValidationError, match="不能用于区县评价"):
        row.full_clean()

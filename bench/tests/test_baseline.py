"""The SQL baseline of measure 1 computes the same values as the dashboard computation, column by column: two
independent implementations of the snapshot that must agree."""
import pytest

from bench import baseline
from bench.generate import generate
from bench.run import full_compute
from indicators.choices import Source
from indicators.models import Indicator, IndicatorValue, Plan

COMPARED = ("value", "units_reporting", "units_expected", "baseline_value", "target_value", "progress",
            "expected_progress", "expected_value", "gap", "pace_ratio", "projected_linear", "projected_compound",
            "status", "yoy_growth", "avg_annual_growth", "rank_all", "rank_in_group")


def stored_snapshot(plan) -> dict[tuple, tuple]:
    rows = IndicatorValue.objects.filter(plan=plan).values_list("scope", "unit_id", "group_id", "indicator_id",
                                                                "period_id", *COMPARED)
    return {(scope, unit_id or group_id or 0, indicator_id, period_id): values
            for scope, unit_id, group_id, indicator_id, period_id, *values in rows}


def same(stored, computed) -> bool:
    if stored is None or computed is None or isinstance(stored, str):
        return stored == computed
    return float(stored) == pytest.approx(float(computed), rel=1e-6, abs=1e-4)  # stored to 4 decimal places


@pytest.mark.django_db
def test_the_sql_baseline_finds_every_value_of_the_snapshot():
    generate(units=50, groups=3, quarters=9, seed=5, log=lambda _: None)
    assert set(Indicator.objects.values_list("source", flat=True)) == {Source.REPORTED}  # what the SQL adds up
    full_compute()
    for plan in Plan.objects.select_related("baseline"):
        stored = stored_snapshot(plan)
        computed = {tuple(row[:4]): row[4:] for row in baseline.snapshot_rows(plan)}
        assert computed.keys() == stored.keys()
        differences = [(key, name, stored[key][i], values[i]) for key, values in computed.items()
                       for i, name in enumerate(COMPARED) if not same(stored[key][i], values[i])]
        assert not differences, differences[:10]
        assert baseline.snapshot_counts(plan)[0] == len(stored)


@pytest.mark.django_db
def test_the_sql_baseline_refuses_an_indicator_counted_from_the_registry():
    Indicator.objects.create(code="t_high_tech", name="高新技术企业数", unit_label="家", method="stock_sum",
                             figure="enterprises.high_tech", source=Source.REGISTRY)
    with pytest.raises(ValueError, match="t_high_tech"):
        baseline.snapshot_sql(plan=None)

from django.db import models
from rest_framework import serializers

from districts.serializers import PeriodCodeField
from indicators.models import Indicator, IndicatorValue, Plan, Target


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "unit_label", "method", "figure", "denominator", "params", "direction",
                  "additive", "description"]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = PeriodCodeField()
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "plan", "indicator", "period", "scope", "group", "unit", "comparison", "value", "note"]


class PlanSerializer(serializers.ModelSerializer):
    baseline = PeriodCodeField(source="baseline.code")
    indicators = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["code", "name", "name_en", "source_document", "baseline", "active", "indicators", "targets"]

    def get_indicators(self, plan) -> list[str]:
        """Codes of the indicators the plan sets targets for, from the prefetched targets."""
        return list(dict.fromkeys(target.indicator.code for target in plan.targets.all()))


class IndicatorValueSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    unit_label = serializers.CharField(source="indicator.unit_label", read_only=True)
    period = PeriodCodeField()
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    baseline_period = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    target_period = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "plan", "indicator", "indicator_name", "unit_label", "period", "scope", "group", "unit", "unit_name",
            "value", "units_reporting", "units_expected", "baseline_period", "baseline_value", "target_period",
            "target_value", "progress", "expected_progress", "expected_value", "pace_ratio", "gap",
            "projected_linear", "projected_compound", "status", "yoy_growth", "avg_annual_growth", "rank_all",
            "rank_in_group", "computed_at", "data_updated_at",
        ]


# The list's fast path. Every unit of a quarter (2,850 rows at national scale) is the API's hot read, and a
# serializer field per cell costs more than the query; the list reads the same fields with .values() and
# formats them here. indicators/tests/test_api.py checks that both give the same JSON.
RELATED = {  # output key: the lookup that reads it
    "plan": "plan__code", "indicator": "indicator__code", "indicator_name": "indicator__name",
    "unit_label": "indicator__unit_label", "group": "group__code", "unit": "unit__code", "unit_name": "unit__name",
}
PERIODS = ("period", "baseline_period", "target_period")  # shown as codes (2025Q4), read as year and quarter
OWN = [name for name in IndicatorValueSerializer.Meta.fields if name not in RELATED and name not in PERIODS]


def own_formatter(name: str):
    field = IndicatorValue._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else f"{value:f}"  # what DRF's DecimalField gives
    if isinstance(field, models.DateTimeField):
        return serializers.DateTimeField().to_representation  # in the current time zone, ISO 8601
    return lambda value: value


def reader(name: str):
    """A function of a .values() row giving the output value of field `name`."""
    if name in RELATED:
        lookup = RELATED[name]
        return lambda row: row[lookup]
    if name in PERIODS:
        year, quarter = f"{name}__year", f"{name}__quarter"
        return lambda row: None if row[year] is None else f"{row[year]}Q{row[quarter]}"
    format_ = own_formatter(name)
    return lambda row: format_(row[name])


READERS = {name: reader(name) for name in IndicatorValueSerializer.Meta.fields}
LOOKUPS = [*RELATED.values(), *(f"{p}__{part}" for p in PERIODS for part in ("year", "quarter")), *OWN]


def indicator_value_lookups(queryset):
    """The rows of `queryset` as dicts of what `indicator_values_data` needs."""
    return queryset.values(*LOOKUPS)


def indicator_values_data(rows) -> list[dict]:
    """IndicatorValueSerializer's output for rows read by `indicator_value_lookups`."""
    return [{name: read(row) for name, read in READERS.items()} for row in rows]

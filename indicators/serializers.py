import functools

from django.db import models
from django.utils import timezone
from rest_framework import serializers

from districts.models import Period
from districts.serializers import PeriodCodeField
from indicators.models import Indicator, IndicatorValue, Plan, Target


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "unit_label", "method", "figure", "denominator", "params", "direction",
                  "additive", "source", "description"]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = PeriodCodeField()
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "plan", "indicator", "period", "scope", "applies_to", "group", "unit", "comparison", "value",
                  "note"]


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
    source = serializers.CharField(source="indicator.source", read_only=True)
    period = PeriodCodeField()
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    baseline_period = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    target_period = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id", "plan", "indicator", "indicator_name", "unit_label", "source", "period", "scope", "group", "unit",
            "unit_name", "value", "units_reporting", "units_expected", "baseline_period", "baseline_value",
            "target_period", "target_value", "progress", "expected_progress", "expected_value", "pace_ratio", "gap",
            "projected_linear", "projected_compound", "status", "yoy_growth", "avg_annual_growth", "rank_all",
            "rank_in_group", "computed_at", "data_updated_at",
        ]


# The list's fast path. Every unit of a quarter (2,850 rows at national scale) is the API's hot read, and a
# serializer field per cell cost more than the query; the list reads the same fields with .values() and
# formats them here. indicators/tests/test_api.py checks that both give the same JSON.
RELATED = {  # output key: the lookup that reads it (these tables are joined for the default order anyway)
    "plan": "plan__code", "indicator": "indicator__code", "indicator_name": "indicator__name",
    "unit_label": "indicator__unit_label", "source": "indicator__source", "group": "group__code",
    "unit": "unit__code", "unit_name": "unit__name",
}
# Read by id and named from one read of the quarters: joining the quarters table twice more made planning
# the query (eight tables) take longer than running it.
OTHER_PERIODS = ("baseline_period", "target_period")
OWN = [name for name in IndicatorValueSerializer.Meta.fields
       if name not in RELATED and name not in OTHER_PERIODS and name != "period"]
LOOKUPS = [*RELATED.values(), "period__year", "period__quarter", *(f"{name}_id" for name in OTHER_PERIODS), *OWN]




def kind_of(name: str) -> str:
    """How `indicator_values_data` reads and formats field `name`."""
    if name in RELATED:
        return "related"
    if name == "period" or name in OTHER_PERIODS:
        return "period" if name == "period" else "other_period"
    field = IndicatorValue._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        return "decimal"
    return "datetime" if isinstance(field, models.DateTimeField) else "plain"


FIELDS = [(name, kind_of(name)) for name in IndicatorValueSerializer.Meta.fields]


def indicator_value_lookups(queryset):
    """The rows of `queryset` as dicts of what `indicator_values_data` needs."""
    return queryset.values(*LOOKUPS)


def indicator_values_data(rows) -> list[dict]:
    """IndicatorValueSerializer's output for rows read by `indicator_value_lookups`."""
    codes = {pk: f"{year}Q{quarter}" for pk, year, quarter in Period.objects.values_list("pk", "year", "quarter")}
    # DRF's own datetime format, in the current time zone; a run stamps its rows alike, so each time once
    iso = functools.lru_cache(maxsize=256)(
        serializers.DateTimeField(default_timezone=timezone.get_current_timezone()).to_representation
    )

    def output(name: str, kind: str, row: dict):
        if kind == "related":
            return row[RELATED[name]]
        if kind == "period":
            return f"{row['period__year']}Q{row['period__quarter']}"
        if kind == "other_period":
            return codes.get(row[f"{name}_id"])
        value = row[name]
        if value is None or kind == "plain":
            return value
        return f"{value:f}" if kind == "decimal" else iso(value)  # f: DRF's decimal text, never 1E+3

    return [{name: output(name, kind, row) for name, kind in FIELDS} for row in rows]

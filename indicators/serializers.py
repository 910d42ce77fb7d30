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

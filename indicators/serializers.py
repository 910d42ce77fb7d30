from rest_framework import serializers

from districts.serializers import PeriodCodeField
from indicators.models import Indicator, Plan, Target


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

from rest_framework import serializers

from districts.serializers import PeriodCodeField, UnitScopedSerializer
from evaluation.models import Evaluation, UnitResult


class UnitResultSerializer(UnitScopedSerializer):
    peer_group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = UnitResult
        fields = ["unit", "unit_name", "peer_group", "score", "rank", "group_rank", "rank_change",
                  "dimension_scores", "missing_count", "recommended", "reasons"]


class EvaluationSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.name", read_only=True)
    year = serializers.IntegerField(source="scheme.year", read_only=True)
    period = PeriodCodeField(source="scheme.period.code")
    normalisation = serializers.CharField(source="scheme.normalisation", read_only=True)
    missing_rule = serializers.CharField(source="scheme.missing_rule", read_only=True)
    weights = serializers.JSONField(source="tree", read_only=True)
    results = UnitResultSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "scheme", "year", "period", "version", "normalisation", "missing_rule", "published_at",
                  "weights", "results"]

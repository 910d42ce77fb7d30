from rest_framework import serializers

from districts.serializers import UnitScopedSerializer
from evaluation.method import Method
from evaluation.models import Evaluation, UnitResult


class UnitResultSerializer(UnitScopedSerializer):
    peer_group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = UnitResult
        fields = ["unit", "unit_name", "peer_group", "score", "rank", "group_rank", "rank_change",
                  "dimension_scores", "missing_count", "recommended", "reasons"]


class EvaluationSerializer(serializers.ModelSerializer):
    """A published evaluation as frozen with it: its method, weights, every unit's inputs and results."""

    scheme = serializers.SerializerMethodField()
    year = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    normalisation = serializers.SerializerMethodField()
    missing_rule = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    weights = serializers.JSONField(source="tree", read_only=True)
    inputs = serializers.SerializerMethodField()
    results = UnitResultSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "scheme", "year", "period", "version", "normalisation", "missing_rule", "published_at",
                  "method", "weights", "inputs", "results"]

    def get_scheme(self, obj) -> str:
        return Method.of(obj).scheme

    def get_year(self, obj) -> int:
        return Method.of(obj).year

    def get_period(self, obj) -> str:
        return Method.of(obj).period

    def get_normalisation(self, obj) -> str:
        return Method.of(obj).normalisation

    def get_missing_rule(self, obj) -> str:
        return Method.of(obj).missing_rule

    def get_method(self, obj) -> dict:
        method = Method.of(obj)
        return {
            "normalisation": method.normalisation_label, "formula": method.formula(),
            "dependence": method.dependence(), "aggregation": method.aggregation(),
            "missing_rule": method.missing_rule_label, "missing": method.missing(), "ties": method.ties(),
            "recognition": method.recognition(), "recognition_count": method.recognition_count, "rise": method.rise,
        }

    def get_inputs(self, obj) -> list[dict]:
        """Every unit's raw value and normalised score of each input; `input` is the id of a leaf of `weights`."""
        codes = {leaf["id"]: leaf.get("code", "") for d in Method.of(obj).dimensions for leaf in d["indicators"]}
        return [{"unit": i.unit.code, "input": i.scheme_indicator_id, "indicator": codes.get(i.scheme_indicator_id, ""),
                 "value": i.value, "score": i.score} for i in obj.inputs.all()]

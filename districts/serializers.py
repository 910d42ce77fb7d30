"""How units, groups, periods and submissions look in the API: units and periods by their codes."""
from rest_framework import serializers

from districts.models import Period, Submission, SubmissionEvent, Unit, UnitGroup


class UnitGroupSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = UnitGroup
        fields = ["code", "name", "name_en", "parent", "order"]


class UnitSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    old_codes = serializers.SlugRelatedField(source="aliases", slug_field="code", many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "name_en", "kind", "group", "group_name", "counts_toward_city_total",
                  "has_high_tech_zone", "old_codes", "order"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["code", "year", "quarter", "status", "deadline"]


class UnitCodeField(serializers.SlugRelatedField):
    """A unit written as its code (old codes accepted on input)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(slug_field="code", **kwargs)


class PeriodCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(source=kwargs.pop("source", "period.code"), read_only=True, **kwargs)


class UnitScopedSerializer(serializers.ModelSerializer):
    """Base of every serializer of one unit's rows: the unit by code and name, the period by code."""

    unit = UnitCodeField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)


class QuarterRowSerializer(UnitScopedSerializer):
    period = PeriodCodeField()
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    QUARTER_FIELDS = ["unit", "unit_name", "period", "version", "updated_at", "updated_by"]


class SubmissionEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = SubmissionEvent
        fields = ["action", "actor", "at", "comment"]


class SubmissionSerializer(UnitScopedSerializer):
    period = PeriodCodeField()
    events = SubmissionEventSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = ["unit", "unit_name", "period", "state", "access", "version", "submitted_at", "approved_at",
                  "updated_at", "events"]

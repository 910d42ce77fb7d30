from rest_framework import serializers

from districts.serializers import PeriodCodeField, QuarterRowSerializer, UnitScopedSerializer
from enterprises.models import CultivationEntry, CultivationNote, Enterprise, EnterpriseFigures, StatusRecord


class EnterpriseFiguresSerializer(QuarterRowSerializer):
    class Meta:
        model = EnterpriseFigures
        fields = [*QuarterRowSerializer.QUARTER_FIELDS, "tech_smes", "high_tech", "specialised_smes", "little_giants"]


class EnterpriseSerializer(UnitScopedSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "credit_code", "name", "earlier_names", "industry", "founded", "unit", "unit_name",
                  "updated_at"]


class StatusRecordSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    unit = serializers.CharField(source="enterprise.unit.code", read_only=True)

    class Meta:
        model = StatusRecord
        fields = ["id", "enterprise", "enterprise_name", "credit_code", "unit", "kind", "number", "issued",
                  "valid_until", "revoked", "revoked_reason", "updated_at"]


class CultivationNoteSerializer(serializers.ModelSerializer):
    period = PeriodCodeField()

    class Meta:
        model = CultivationNote
        fields = ["period", "text", "updated_at"]


class CultivationEntrySerializer(UnitScopedSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    reached_today = serializers.BooleanField(read_only=True)
    reached_by_due = serializers.BooleanField(read_only=True)
    notes = CultivationNoteSerializer(many=True, read_only=True)

    class Meta:
        model = CultivationEntry
        fields = ["id", "unit", "unit_name", "enterprise", "enterprise_name", "credit_code", "target", "due",
                  "reached_today", "reached_by_due", "recommended", "notes", "updated_at"]

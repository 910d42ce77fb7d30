from django.utils import timezone
from rest_framework import serializers

from districts.serializers import QuarterCodeField, QuarterRowSerializer, UnitScopedSerializer
from enterprises.cultivation import note_quarters
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


# The registry list's fast path, as the indicator values': a page of 100 enterprises through a serializer field per
# cell cost more than its queries; the list reads the same fields with .values() and formats them here.
# enterprises/tests/test_api.py checks both give the same JSON.
ENTERPRISE_LOOKUPS = {name: {"unit": "unit__code", "unit_name": "unit__name"}.get(name, name)
                      for name in EnterpriseSerializer.Meta.fields}


def enterprise_rows(queryset):
    """The rows of `queryset` as dicts of what `enterprises_data` needs."""
    return queryset.values(*ENTERPRISE_LOOKUPS.values())


def enterprises_data(rows) -> list[dict]:
    """EnterpriseSerializer's output for rows read by `enterprise_rows`."""
    formats = {"founded": serializers.DateField().to_representation,
               "updated_at": serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
               .to_representation}
    return [{name: formats[name](row[lookup]) if name in formats else row[lookup]
             for name, lookup in ENTERPRISE_LOOKUPS.items()} for row in rows]


class StatusRecordSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    unit = serializers.CharField(source="enterprise.unit.code", read_only=True)

    class Meta:
        model = StatusRecord
        fields = ["id", "enterprise", "enterprise_name", "credit_code", "unit", "kind", "number", "issued",
                  "valid_until", "revoked", "revoked_reason", "updated_at"]


class CultivationNoteSerializer(serializers.ModelSerializer):
    """A quarter's note on an entry; writing one for a quarter that has one replaces it."""

    period = QuarterCodeField()

    class Meta:
        model = CultivationNote
        fields = ["period", "text", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # one note a quarter: the service replaces the quarter's note rather than refusing

    def validate_period(self, period):
        """The quarters the entry page offers: this one and the four before it."""
        if not note_quarters(timezone.localdate()).filter(pk=period.pk).exists():
            raise serializers.ValidationError("只能记录本季度及之前四个季度的培育情况")
        return period


class CultivationEntrySerializer(UnitScopedSerializer):
    """An entry of a unit's list. Its unit is its enterprise's (never the caller's choice); the enterprise is one
    the caller may change, and stays the entry's once written."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    reached_today = serializers.BooleanField(read_only=True)
    reached_by_due = serializers.BooleanField(read_only=True)
    notes = CultivationNoteSerializer(many=True, read_only=True)

    class Meta:
        model = CultivationEntry
        fields = ["id", "unit", "unit_name", "enterprise", "enterprise_name", "credit_code", "target", "due",
                  "reached_today", "reached_by_due", "recommended", "notes", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # one entry per unit, enterprise and tier: the service's full_clean() says so

    def __init__(self, *args, enterprise_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprise_choices is not None:  # the enterprises the caller may change
            self.fields["enterprise"].queryset = enterprise_choices

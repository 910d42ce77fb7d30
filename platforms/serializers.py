from rest_framework import serializers

from districts.serializers import PeriodCodeField, UnitScopedSerializer
from platforms.models import Platform, PlatformMilestone


class PlatformMilestoneSerializer(serializers.ModelSerializer):
    period = PeriodCodeField()

    class Meta:
        model = PlatformMilestone
        fields = ["id", "platform", "period", "date", "title", "status", "note"]


class PlatformSerializer(UnitScopedSerializer):
    milestones = PlatformMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Platform
        fields = ["id", "unit", "unit_name", "name", "kind", "level", "status", "theme", "featured", "founded",
                  "description", "milestones"]

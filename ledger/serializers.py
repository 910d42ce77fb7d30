"""How the ledger looks in the API: units, quarters and policy articles by their codes.

The serializers validate the shape of a write; the rules (who may write which unit's rows, progress
and status agreeing, one note a quarter) are the services' (ledger/services.py).
"""
from rest_framework import serializers

from districts.models import PolicyArticle, Unit
from districts.serializers import QuarterCodeField, UnitCodeField, UnitScopedSerializer
from ledger.models import ProgressNote, Round, RoundItem, Task

USERNAME = {"slug_field": "username", "read_only": True, "allow_null": True}


class TaskSerializer(UnitScopedSerializer):
    """A task or project. The unit of a new task is the caller's own; only municipal staff name one."""

    unit = UnitCodeField(read_only=False, required=False, queryset=Unit.objects.none())
    article = serializers.SlugRelatedField(slug_field="key", queryset=PolicyArticle.objects.all(), allow_null=True,
                                           required=False)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "unit", "unit_name", "kind", "title", "article", "office", "owner", "start", "due", "status",
                  "progress", "overdue", "investment", "description", "updated_at"]
        read_only_fields = ["updated_at"]

    def __init__(self, *args, unit_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit_choices is not None:  # the units the caller may name: a clerk's own, every unit for the bureau
            self.fields["unit"].queryset = unit_choices

    def get_overdue(self, task) -> bool:
        return task.is_overdue()


class ProgressNoteSerializer(serializers.ModelSerializer):
    """A task's note for a quarter; writing one for a quarter that has one replaces it."""

    unit = UnitCodeField(source="task.unit")
    period = QuarterCodeField()
    author = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = ProgressNote
        fields = ["id", "task", "unit", "period", "progress", "text", "author", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one note a quarter: the service replaces the quarter's note rather than refusing

    def __init__(self, *args, task_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if task_choices is not None:  # the tasks the caller may change
            self.fields["task"].queryset = task_choices


class RoundItemSerializer(serializers.ModelSerializer):
    """A task asked about in a round, and its unit's answer (answer and progress are what a unit writes)."""

    unit = UnitCodeField(source="task.unit")
    answered_by = serializers.SlugRelatedField(**USERNAME)

    class Meta:
        model = RoundItem
        fields = ["id", "round", "task", "unit", "answer", "progress", "answered_by", "answered_at"]
        read_only_fields = ["round", "task", "answered_at"]
        extra_kwargs = {"answer": {"required": True, "allow_blank": False}}


class RoundSerializer(serializers.ModelSerializer):
    """A scheduling round with the items the caller may see (a clerk: their unit's)."""

    created_by = serializers.SlugRelatedField(**USERNAME)
    items = RoundItemSerializer(source="visible_items", many=True, read_only=True)

    class Meta:
        model = Round
        fields = ["id", "title", "due", "instructions", "created_by", "created_at", "items"]

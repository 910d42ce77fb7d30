"""How units, groups, periods and submissions look in the API: units and periods by their codes."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from districts.models import Period, Submission, SubmissionEvent, Unit, UnitGroup
from portal.api_errors import ErrorSerializer


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
    """A unit written as its code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(slug_field="code", **kwargs)


class PeriodCodeField(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(source=kwargs.pop("source", "period.code"), read_only=True, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}[Qq][1-4]$", "example": "2025Q4"})
class QuarterCodeField(serializers.Field):
    """A quarter written as its code (2025Q4), read back as the code."""

    def to_representation(self, period):
        return period.code

    def to_internal_value(self, data):
        try:
            return Period.objects.get_by_code(str(data))
        except (ValueError, Period.DoesNotExist):
            raise serializers.ValidationError(f"季度 {data} 不存在；应写作 2025Q4 这样的形式") from None


class UnitScopedSerializer(serializers.ModelSerializer):
    """Base of every serializer of one unit's rows: the unit by code and name, the period by code."""

    unit = UnitCodeField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)


class QuarterRowSerializer(UnitScopedSerializer):
    period = PeriodCodeField()
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    QUARTER_FIELDS = ["id", "unit", "unit_name", "period", "version", "updated_at", "updated_by"]


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


class QuarterFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    period = serializers.CharField()
    state = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    editable = serializers.BooleanField(help_text="当前用户能否修改")
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True),
        help_text="指标键 -> 数值，如 {\"enterprises.tech_smes\": \"1234.00\"}",
    )


class FiguresWriteSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True),
        help_text="指标键 -> 数值（数字或数字文本；空值清除）",
    )
    notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                  help_text="指标键 -> 备注")
    expected_version = serializers.IntegerField(required=False, min_value=1,
                                                help_text="读取时的版本号；已被他人修改则拒绝（409）")


class ProblemSerializer(serializers.Serializer):
    figure = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class FiguresSaveResultSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    changes = serializers.DictField(child=serializers.CharField(), help_text="指标键 -> created/updated/unchanged")
    warnings = ProblemSerializer(many=True, help_text="提交前需填写情况说明的预警")


class BulkRequestSerializer(serializers.Serializer):
    period = serializers.CharField(required=False, help_text="各行未写季度时使用的季度，如 2025Q4")
    # No default: a generated client would send it, and it would then contradict `?dry_run=true`.
    dry_run = serializers.BooleanField(
        required=False, help_text="只校验不写入；也可写作查询参数，两处不一致时拒绝（400）"
    )
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_null=True, allow_blank=True)),
        min_length=1, max_length=5000,
        help_text="每行：unit（区县代码）、可选 period 与 version，其余为指标键 -> 数值",
    )


class BulkQuerySerializer(serializers.Serializer):
    """The bulk write's query parameters, which may also be given in the body."""

    dry_run = serializers.BooleanField(required=False)
    period = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="行号（从 0 起）")
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    conflicts = ConflictSerializer(many=True)
    warnings = ConflictSerializer(many=True)


class BulkRejectedSerializer(ErrorSerializer):
    """A refused bulk write: the error shape, and for conflicts the summary and every conflict too."""

    dry_run = serializers.BooleanField(required=False)
    written = serializers.BooleanField(required=False)
    created = serializers.IntegerField(required=False)
    updated = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    conflicts = ConflictSerializer(many=True, required=False)
    warnings = ConflictSerializer(many=True, required=False)


class SubmitSerializer(serializers.Serializer):
    explanations = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                         help_text="预警的指标键 -> 情况说明")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="退回原因：需要修改的内容")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="重新开放的原因")

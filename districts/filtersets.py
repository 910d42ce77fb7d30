"""Filters of the units, groups, periods and submissions lists, and the filters every district-scoped
list shares: `unit` (codes, old codes accepted), `group` (with its subgroups), `period_after` /
`period_before` (like 2024Q1) and `updated_after`. List pages and the API use the same FilterSets.
"""
import datetime

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from districts.choices import PeriodStatus, SubmissionState, UnitKind
from districts.models import Period, Submission, Unit, UnitCodeAlias, UnitGroup


class UnitCodesField(forms.CharField):
    """"500112,500101" -> the ids of those units; old codes (e.g. 500234 开县) find today's unit."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        codes = [code.strip() for code in value.replace("，", ",").split(",") if code.strip()]
        found = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
        found |= dict(UnitCodeAlias.objects.filter(code__in=codes).values_list("code", "unit_id"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(
                _("区县代码 %(codes)s 不存在；请用 GB/T 2260 代码（如 500112），多个用英文逗号分隔"),
                params={"codes": "、".join(unknown)}, code="unknown_unit",
            )
        return sorted(set(found.values()))


class PeriodCodeField(forms.CharField):
    """"2024Q1" -> the quarter's ordinal, comparable with Period.ordinal."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            year, quarter = Period.parse_code(value)
        except ValueError:
            raise forms.ValidationError(
                _("季度应写作 2025Q4 这样的形式（四位年份、字母 Q、1–4），收到的是 %(value)s"),
                params={"value": value}, code="invalid_period",
            ) from None
        return year * 4 + quarter - 1


class GroupCodeField(forms.CharField):
    """A group code -> the ids of that group and its subgroups."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        group = UnitGroup.objects.filter(code=value.strip()).first()
        if group is None:
            raise forms.ValidationError(
                _("区域分组代码 %(value)s 不存在；可用的代码见 /api/v1/groups/"),
                params={"value": value}, code="unknown_group",
            )
        return group.descendant_ids()


@extend_schema_field({"type": "string", "example": "500112,500101"})
class UnitCodesFilter(django_filters.Filter):
    field_class = UnitCodesField


@extend_schema_field({"type": "string", "example": "central"})
class GroupFilter(django_filters.Filter):
    field_class = GroupCodeField


@extend_schema_field({"type": "string", "pattern": r"^\d{4}[Qq][1-4]$", "example": "2025Q4"})
class PeriodFilter(django_filters.Filter):
    field_class = PeriodCodeField


class CodesWidget(django_filters.widgets.BaseCSVWidget, forms.TextInput):
    """Codes separated by commas (`fund=a,b`) or the parameter repeated (`fund=a&fund=b`): the schema documents an
    array, which generated clients send as a repeated parameter."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else []
        if len(values) > 1:
            return [code for value in values for code in value.split(",")]
        return super().value_from_datadict(data, files, name)


class CodesFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Codes separated by commas or repeated: `fund=a,b` is `fund=a&fund=b`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CodesWidget)
        super().__init__(*args, **kwargs)


def _unit_prefix(model) -> str:
    return "" if model.unit_field == "pk" else f"{model.unit_field}__"


class DistrictScopedFilterSet(django_filters.FilterSet):
    """Filters every list of unit data has; the model names its unit (and period) path."""

    unit = UnitCodesFilter(method="filter_unit", label="区县代码（可多个，逗号分隔；旧代码可用）")
    group = GroupFilter(method="filter_group", label="区域分组代码（含下级分组）")

    def filter_unit(self, queryset, name, unit_ids):
        return queryset.filter(**{f"{_unit_prefix(queryset.model)}pk__in": unit_ids})

    def filter_group(self, queryset, name, group_ids):
        return queryset.filter(**{f"{_unit_prefix(queryset.model)}group_id__in": group_ids})


class UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time, turned to UTC: ISO allows offsets up to ±23:59, PostgreSQL only ±15:59."""

    def clean(self, value):
        value = super().clean(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(_("时间超出范围；请写作 2025-01-31T08:00:00+08:00 这样的形式"),
                                        code="out_of_range") from None


class UpdatedAfterFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


# Orderings every list of quarterly rows offers; a FilterSet adds its own figures.
QUARTER_ORDERING = (("period__ordinal", "period"), ("unit__order", "unit"), ("updated_at", "updated_at"))


class QuarterFilterSet(DistrictScopedFilterSet):
    """Adds the period range and `updated_after` to lists of quarterly rows."""

    period_after = PeriodFilter(field_name="period__ordinal", lookup_expr="gte", label="起始季度（含），如 2024Q1")
    period_before = PeriodFilter(field_name="period__ordinal", lookup_expr="lte", label="截止季度（含），如 2025Q4")
    updated_after = UpdatedAfterFilter(
        field_name="updated_at", lookup_expr="gt",
        label="只返回此时间之后更新的记录（ISO 8601，如 2025-01-31T08:00:00+08:00）",
    )


class UnitFilterSet(DistrictScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="类型")
    ordering = django_filters.OrderingFilter(fields=(("order", "order"), ("code", "code"), ("name", "name")))

    class Meta:
        model = Unit
        fields = ["unit", "group", "kind", "counts_toward_city_total", "has_high_tech_zone"]


class UnitGroupFilterSet(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label="上级分组代码")
    ordering = django_filters.OrderingFilter(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = UnitGroup
        fields = ["parent"]


class PeriodFilterSet(django_filters.FilterSet):
    period_after = PeriodFilter(field_name="ordinal", lookup_expr="gte", label="起始季度（含），如 2024Q1")
    period_before = PeriodFilter(field_name="ordinal", lookup_expr="lte", label="截止季度（含），如 2025Q4")
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices, label="状态")
    ordering = django_filters.OrderingFilter(fields=(("ordinal", "period"), ("deadline", "deadline")))

    class Meta:
        model = Period
        fields = ["year", "quarter", "status"]


class SubmissionFilterSet(QuarterFilterSet):
    status = django_filters.MultipleChoiceFilter(
        field_name="state", choices=SubmissionState.choices, label="状态（可多选：status=submitted&status=returned）"
    )
    ordering = django_filters.OrderingFilter(
        fields=(*QUARTER_ORDERING, ("submitted_at", "submitted_at"))
    )

    class Meta:
        model = Submission
        fields = ["unit", "group", "period_after", "period_before", "status", "updated_after"]


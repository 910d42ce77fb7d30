import django_filters
from django.db.models import Q

from districts.filtersets import CodesFilter, GroupFilter, PeriodFilter, UnitCodesFilter, UpdatedAfterFilter
from indicators.choices import Scope, Status
from indicators.models import Indicator, IndicatorValue, Plan, Target


class IndicatorFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="targets__plan__code", distinct=True, label="规划代码")
    ordering = django_filters.OrderingFilter(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = Indicator
        fields = ["plan", "method"]


class PlanFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="targets__indicator__code", distinct=True, label="指标代码")
    ordering = django_filters.OrderingFilter(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = Plan
        fields = ["active", "indicator"]


class TargetFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__code", label="规划代码")
    indicator = django_filters.CharFilter(field_name="indicator__code", label="指标代码")
    scope = django_filters.MultipleChoiceFilter(choices=Scope.choices, distinct=False, label="范围（可多选）")
    group = django_filters.CharFilter(field_name="group__code", label="区域分组代码（仅分组目标）")
    unit = UnitCodesFilter(field_name="unit_id", lookup_expr="in", label="区县代码（仅单位配额）")
    period_after = PeriodFilter(field_name="period__ordinal", lookup_expr="gte", label="起始季度（含），如 2024Q1")
    period_before = PeriodFilter(field_name="period__ordinal", lookup_expr="lte", label="截止季度（含），如 2025Q4")
    ordering = django_filters.OrderingFilter(
        fields=(("period__ordinal", "period"), ("indicator__order", "indicator"), ("value", "value"))
    )

    class Meta:
        model = Target
        fields = ["plan", "indicator", "scope", "group", "unit", "period_after", "period_before"]


class IndicatorValueFilterSet(django_filters.FilterSet):
    """The dashboard snapshots: one plan's indicators by quarter, for the city, groups and units."""

    plan = CodesFilter(field_name="plan__code", lookup_expr="in", label="规划代码（可多个，逗号分隔）")
    indicator = CodesFilter(field_name="indicator__code", lookup_expr="in", label="指标代码（可多个，逗号分隔）")
    # distinct=False: django-filter's default DISTINCT is for filters across joins; these are own columns, and
    # DISTINCT over a page of every unit of a quarter cost more than reading it.
    scope = django_filters.MultipleChoiceFilter(
        choices=Scope.choices, distinct=False, label="范围（可多选）：city、group、unit"
    )
    unit = UnitCodesFilter(field_name="unit_id", lookup_expr="in", label="区县代码（可多个；旧代码可用）")
    group = GroupFilter(method="filter_group", label="区域分组代码：该分组（含下级分组）及其单位的结果")
    period_after = PeriodFilter(field_name="period__ordinal", lookup_expr="gte", label="起始季度（含），如 2024Q1")
    period_before = PeriodFilter(field_name="period__ordinal", lookup_expr="lte", label="截止季度（含），如 2025Q4")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False, label="进度状态（可多选）")
    updated_after = UpdatedAfterFilter(
        field_name="computed_at", lookup_expr="gt", label="只返回此时间之后计算的结果（ISO 8601）"
    )
    ordering = django_filters.OrderingFilter(fields=(
        ("period__ordinal", "period"), ("indicator__order", "indicator"), ("unit__order", "unit"),
        ("value", "value"), ("progress", "progress"), ("rank_all", "rank"),
    ))

    class Meta:
        model = IndicatorValue
        fields = ["plan", "indicator", "scope", "unit", "group", "period_after", "period_before", "status",
                  "updated_after"]

    def filter_group(self, queryset, name, group_ids):
        return queryset.filter(Q(group_id__in=group_ids) | Q(unit__group_id__in=group_ids))

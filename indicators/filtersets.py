import django_filters

from districts.filtersets import PeriodFilter, UnitCodesFilter
from indicators.choices import Scope
from indicators.models import Indicator, Plan, Target


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
    scope = django_filters.MultipleChoiceFilter(choices=Scope.choices, label="范围（可多选）")
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

import django_filters

from districts.filtersets import DistrictScopedFilterSet, PeriodFilter
from platforms.choices import PlatformKind, PlatformLevel, PlatformStatus
from platforms.models import Platform, PlatformMilestone


class PlatformFilterSet(DistrictScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=PlatformKind.choices, label="类型（可多选）")
    level = django_filters.MultipleChoiceFilter(choices=PlatformLevel.choices, label="级别（可多选）")
    status = django_filters.MultipleChoiceFilter(choices=PlatformStatus.choices, label="状态（可多选）")
    ordering = django_filters.OrderingFilter(
        fields=(("unit__order", "unit"), ("name", "name"), ("founded", "founded"), ("status", "status"))
    )

    class Meta:
        model = Platform
        fields = ["unit", "group", "kind", "level", "status", "featured"]


class PlatformMilestoneFilterSet(DistrictScopedFilterSet):
    period_after = PeriodFilter(field_name="period__ordinal", lookup_expr="gte", label="起始季度（含），如 2024Q1")
    period_before = PeriodFilter(field_name="period__ordinal", lookup_expr="lte", label="截止季度（含），如 2025Q4")
    status = django_filters.MultipleChoiceFilter(choices=PlatformStatus.choices, label="达到状态（可多选）")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="起始日期（含）")
    ordering = django_filters.OrderingFilter(fields=(("date", "date"), ("period__ordinal", "period")))

    class Meta:
        model = PlatformMilestone
        fields = ["unit", "group", "platform", "period_after", "period_before", "status", "date_after"]

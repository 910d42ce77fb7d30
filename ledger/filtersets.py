"""Filters of the ledger lists, shared by the task list page and the API (`/api/v1/tasks/`…)."""
import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.filtersets import DistrictScopedFilterSet, PeriodFilter, UpdatedAfterFilter
from districts.models import PolicyArticle
from ledger.choices import TaskKind, TaskStatus
from ledger.models import ProgressNote, Round, RoundItem, Task


class TaskFilterSet(DistrictScopedFilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("关键词"))
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, empty_label=_("全部"), label=_("类别"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, empty_label=_("全部"), label=_("状态"))
    article = django_filters.ModelChoiceFilter(queryset=PolicyArticle.objects.all(), to_field_name="key",
                                               label=_("政策条目"))
    # A checkbox on the page ("on"), true/false in the API; unticked means every task.
    overdue = django_filters.BooleanFilter(method="filter_overdue", widget=forms.CheckboxInput, label=_("仅看逾期"))
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("完成时限不早于"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("完成时限不晚于"))
    updated_after = UpdatedAfterFilter(field_name="updated_at", lookup_expr="gt",
                                       label=_("只返回此时间之后更新的任务（ISO 8601）"))
    ordering = django_filters.OrderingFilter(fields=(
        ("unit__order", "unit"), ("due", "due"), ("progress", "progress"), ("updated_at", "updated_at"),
    ))

    class Meta:
        model = Task
        fields = ["q", "unit", "group", "kind", "status", "article", "overdue", "due_after", "due_before",
                  "updated_after"]

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(timezone.localdate()) if value else queryset


class ProgressNoteFilterSet(DistrictScopedFilterSet):
    period_after = PeriodFilter(field_name="period__ordinal", lookup_expr="gte", label=_("起始季度（含），如 2024Q1"))
    period_before = PeriodFilter(field_name="period__ordinal", lookup_expr="lte", label=_("截止季度（含），如 2025Q4"))
    updated_after = UpdatedAfterFilter(field_name="updated_at", lookup_expr="gt",
                                       label=_("只返回此时间之后填写的进展（ISO 8601）"))
    ordering = django_filters.OrderingFilter(fields=(("period__ordinal", "period"), ("updated_at", "updated_at")))

    class Meta:
        model = ProgressNote
        fields = ["unit", "group", "task", "period_after", "period_before", "updated_after"]


class RoundFilterSet(django_filters.FilterSet):
    due_after = django_filters.DateFilter(field_name="due", lookup_expr="gte", label=_("反馈截止日期不早于"))
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label=_("反馈截止日期不晚于"))
    ordering = django_filters.OrderingFilter(fields=(("due", "due"), ("created_at", "created_at")))

    class Meta:
        model = Round
        fields = ["due_after", "due_before"]


class RoundItemFilterSet(DistrictScopedFilterSet):
    answered = django_filters.BooleanFilter(method="filter_answered", label=_("是否已反馈"))
    ordering = django_filters.OrderingFilter(fields=(("answered_at", "answered_at"), ("task__due", "due")))

    class Meta:
        model = RoundItem
        fields = ["unit", "group", "round", "task", "answered"]

    def filter_answered(self, queryset, name, value):
        answered = Q(answered_at__isnull=False)
        return queryset.filter(answered if value else ~answered)

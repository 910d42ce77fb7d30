from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, Plan, Target


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit_label", "method", "figure", "direction", "additive"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "baseline", "active"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "indicator", "period", "scope", "group", "unit", "comparison", "value"]
    list_filter = ["plan", "indicator", "scope", "period"]
    list_select_related = ["plan", "indicator", "period", "group", "unit"]

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from indicators.models import DashboardRun, Indicator, IndicatorValue, Plan, Target
from portal.admin import RestrictedAdmin, RestrictedTabularInline


@admin.register(Indicator)
class IndicatorAdmin(RestrictedAdmin):
    list_display = ["code", "name", "unit_label", "method", "figure", "source", "direction", "additive"]
    list_filter = ["source"]


class TargetInline(RestrictedTabularInline):
    model = Target
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(RestrictedAdmin):
    list_display = ["name", "code", "baseline", "active"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(RestrictedAdmin):
    list_display = ["plan", "indicator", "period", "scope", "applies_to", "group", "unit", "comparison", "value"]
    list_filter = ["plan", "indicator", "scope", "applies_to", "period"]
    list_select_related = ["plan", "indicator", "period", "group", "unit"]


@admin.register(DashboardRun)
class DashboardRunAdmin(RestrictedAdmin):
    """Read-only: answers "when were the dashboards last refreshed, by what, and did it work?"."""

    list_display = ["pk", "trigger", "status", "unit", "period", "created_at", "started_at", "finished_at",
                    "progress_percent", "rows", "data_updated_at"]
    list_filter = ["status", "trigger"]
    list_select_related = ["unit", "period"]
    readonly_fields = [f.name for f in DashboardRun._meta.fields]

    @admin.display(description=_("进度（%）"))
    def progress_percent(self, run):
        return run.progress_percent

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(RestrictedAdmin):
    """The snapshot rows, for checking a dashboard number; they are written only by the computation."""

    list_display = ["plan", "indicator", "period", "scope", "group", "unit", "value", "target_value", "progress",
                    "status", "rank_all", "computed_at"]
    list_filter = ["plan", "indicator", "scope", "status", "period"]
    list_select_related = ["plan", "indicator", "period", "group", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from platforms.models import Platform, PlatformMilestone
from platforms.resources import PlatformMilestoneResource, PlatformResource
from portal.admin import RestrictedExportAdmin


class PlatformMilestoneInline(admin.TabularInline):
    model = PlatformMilestone
    extra = 0
    fields = ["period", "date", "title", "status", "note"]


@admin.register(Platform)
class PlatformAdmin(RestrictedExportAdmin):
    resource_classes = [PlatformResource]
    list_display = ["name", "unit", "kind", "level", "status", "featured", "theme"]
    list_filter = ["kind", "level", "status", "featured", "unit__group"]
    search_fields = ["name", "theme", "unit__name"]
    list_select_related = ["unit"]
    inlines = [PlatformMilestoneInline]


@admin.register(PlatformMilestone)
class PlatformMilestoneAdmin(RestrictedExportAdmin):
    resource_classes = [PlatformMilestoneResource]
    list_display = ["platform", "period", "date", "title", "status"]
    list_filter = ["period", "status"]
    list_select_related = ["platform", "period"]

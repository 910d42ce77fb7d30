from django.contrib import admin

from platforms.models import Platform, PlatformMilestone
from portal.admin import RestrictedAdmin


class PlatformMilestoneInline(admin.TabularInline):
    model = PlatformMilestone
    extra = 0
    fields = ["period", "date", "title", "status", "note"]


@admin.register(Platform)
class PlatformAdmin(RestrictedAdmin):
    list_display = ["name", "unit", "kind", "level", "status", "featured", "theme"]
    list_filter = ["kind", "level", "status", "featured", "unit__group"]
    search_fields = ["name", "theme", "unit__name"]
    list_select_related = ["unit"]
    inlines = [PlatformMilestoneInline]


@admin.register(PlatformMilestone)
class PlatformMilestoneAdmin(RestrictedAdmin):
    list_display = ["platform", "period", "date", "title", "status"]
    list_filter = ["period", "status"]
    list_select_related = ["platform", "period"]

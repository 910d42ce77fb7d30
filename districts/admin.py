from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from districts.models import (
    ImportJob,
    Membership,
    Period,
    PolicyArticle,
    Submission,
    SubmissionEvent,
    Unit,
    UnitCodeAlias,
    UnitGroup,
)
from districts.resources import SubmissionResource
from portal.admin import RestrictedAdmin, RestrictedExportAdmin


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "order"]


class UnitCodeAliasInline(admin.TabularInline):
    model = UnitCodeAlias
    extra = 0


@admin.register(Unit)
class UnitAdmin(RestrictedAdmin):
    list_display = ["code", "name", "name_en", "kind", "group", "counts_toward_city_total", "has_high_tech_zone"]
    list_filter = ["kind", "group", "counts_toward_city_total", "has_high_tech_zone"]
    search_fields = ["code", "name", "name_en", "aliases__code"]
    inlines = [UnitCodeAliasInline]


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    list_display = ["code", "status", "deadline"]
    list_filter = ["status", "year"]
    list_editable = ["status", "deadline"]


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(RestrictedExportAdmin):
    resource_classes = [SubmissionResource]
    list_display = ["unit", "period", "state", "access", "submitted_at", "approved_at"]
    list_filter = ["state", "access", "period", "unit__group"]
    search_fields = ["unit__name", "unit__code"]
    readonly_fields = ["state", "version", "submitted_at", "approved_at"]
    inlines = [SubmissionEventInline]
    list_select_related = ["unit", "period"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user"]


@admin.register(PolicyArticle)
class PolicyArticleAdmin(admin.ModelAdmin):
    list_display = ["label", "title", "part", "key"]


@admin.register(ImportJob)
class ImportJobAdmin(RestrictedAdmin):
    """Who imported which file when, and how it went; read-only (imports happen on the import page)."""

    list_display = ["file_name", "created_by", "period", "status", "rows", "changed", "created_at", "finished_at"]
    list_filter = ["status", "period"]
    search_fields = ["file_name", "created_by__username"]
    list_select_related = ["created_by", "period"]
    readonly_fields = [
        "created_by", "file_name", "period", "status", "rows", "changed", "preview", "error_summary",
        "created_at", "started_at", "finished_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from districts.models import (
    FigureNote,
    Membership,
    Period,
    PolicyArticle,
    Submission,
    SubmissionEvent,
    Unit,
    UnitCodeAlias,
    UnitGroup,
)
from portal.admin import RestrictedAdmin


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
    """Opening and closing go through the period list (/quarters/), which also creates each unit's draft."""

    list_display = ["code", "status", "deadline"]
    list_filter = ["status", "year"]
    list_editable = ["deadline"]
    readonly_fields = ["status"]


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(RestrictedAdmin):
    """Read-only here: every step (submit, approve, return, reopen, open or close a unit) is a service with an
    event, reached from the quarter page."""

    list_display = ["unit", "period", "state", "access", "submitted_at", "approved_at"]
    list_filter = ["state", "access", "period", "unit__group"]
    search_fields = ["unit__name", "unit__code"]
    readonly_fields = ["unit", "period", "state", "access", "version", "submitted_at", "approved_at"]
    inlines = [SubmissionEventInline]
    list_select_related = ["unit", "period"]

    def has_add_permission(self, request):
        return False


@admin.register(FigureNote)
class FigureNoteAdmin(RestrictedAdmin):
    list_display = ["submission", "figure", "kind", "author", "created_at", "answered_at"]
    list_filter = ["kind", "submission__period"]
    search_fields = ["submission__unit__name", "figure", "text", "answer"]
    list_select_related = ["submission__unit", "submission__period", "author"]
    readonly_fields = ["submission", "figure", "kind", "author", "created_at", "answered_by", "answered_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user"]


@admin.register(PolicyArticle)
class PolicyArticleAdmin(admin.ModelAdmin):
    list_display = ["label", "title", "part", "key"]

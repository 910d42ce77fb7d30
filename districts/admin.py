from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from districts.apikeys import api_key_create, api_key_revoke
from districts.choices import IMPORT_RUNNING
from districts.models import (
    ApiKey,
    FigureNote,
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
from districts.spreadsheets.importer import progress_of
from portal import roles
from portal.admin import RestrictedAdmin, RestrictedExportAdmin, RestrictedTabularInline


@admin.register(UnitGroup)
class UnitGroupAdmin(RestrictedAdmin):
    list_display = ["name", "code", "parent", "order"]


class UnitCodeAliasInline(RestrictedTabularInline):
    model = UnitCodeAlias
    extra = 0


@admin.register(Unit)
class UnitAdmin(RestrictedAdmin):
    list_display = ["code", "name", "name_en", "kind", "group", "counts_toward_city_total", "has_high_tech_zone"]
    list_filter = ["kind", "group", "counts_toward_city_total", "has_high_tech_zone"]
    search_fields = ["code", "name", "name_en", "aliases__code"]
    inlines = [UnitCodeAliasInline]


@admin.register(Period)
class PeriodAdmin(RestrictedAdmin):
    """Opening and closing go through the period list (/quarters/), which also creates each unit's draft."""

    list_display = ["code", "status", "deadline"]
    list_filter = ["status", "year"]
    list_editable = ["deadline"]
    readonly_fields = ["status"]


class SubmissionEventInline(RestrictedTabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(RestrictedExportAdmin):
    """Read-only here: every step (submit, approve, return, reopen, open or close a unit) is a service with an
    event, reached from the quarter page."""

    resource_classes = [SubmissionResource]
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
class MembershipAdmin(RestrictedAdmin):
    list_display = ["user", "unit"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user"]


@admin.register(PolicyArticle)
class PolicyArticleAdmin(RestrictedAdmin):
    list_display = ["label", "title", "part", "key"]


@admin.register(ApiKey)
class ApiKeyAdmin(RestrictedAdmin):
    """Municipal staff create keys (the secret is shown once, in the message after saving) and revoke them."""

    list_display = ["name", "prefix", "scope", "unit", "throttle_rate", "created_by", "created", "last_used",
                    "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["unit", "created_by"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        audit = ["prefix", "created_by", "created", "last_used", "revoked_at"]
        return audit if obj is None else ["scope", "unit", *audit]

    def has_module_permission(self, request):
        return roles.is_municipal_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_municipal_staff(request.user)

    def has_add_permission(self, request):
        return roles.is_municipal_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_municipal_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays as the record of who had access

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, full_key = api_key_create(
            name=obj.name, scope=obj.scope, unit=obj.unit, throttle_rate=obj.throttle_rate, created_by=request.user
        )
        obj.pk = key.pk
        obj.refresh_from_db()
        self.message_user(
            request, _("新密钥（只显示这一次，请立即复制保存）：%(key)s") % {"key": full_key}, messages.WARNING
        )

    @admin.action(description=_("撤销所选密钥"))
    def revoke(self, request, queryset):
        for key in queryset.select_related("user"):
            api_key_revoke(key=key)
        self.message_user(request, _("已撤销 %(n)d 个密钥，立即生效") % {"n": queryset.count()}, messages.SUCCESS)
@admin.register(ImportJob)
class ImportJobAdmin(RestrictedAdmin):
    """Who imported which file when, and how it went; read-only (imports happen on the import page)."""

    list_display = ["file_name", "created_by", "period", "status", "progress", "rows", "changed", "created_at",
                    "finished_at"]
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

    @admin.display(description=_("进度"))
    def progress(self, obj):
        return f"{progress_of(obj)}%" if obj.status in IMPORT_RUNNING else "—"

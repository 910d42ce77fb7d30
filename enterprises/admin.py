from django.contrib import admin

from districts.figures_admin import QuarterFiguresAdmin
from enterprises.models import (
    CultivationEntry,
    CultivationNote,
    Enterprise,
    EnterpriseFigures,
    Registration,
    StatusRecord,
    StatusValidity,
)
from enterprises.resources import EnterpriseFiguresResource
from enterprises.services import (
    cultivation_entry_delete,
    cultivation_entry_recommend,
    cultivation_entry_save,
    enterprise_create,
    enterprise_update,
    status_record_revoke,
    status_record_save,
)
from portal.admin import ExportAdminMixin, RestrictedAdmin, RestrictedTabularInline


@admin.register(EnterpriseFigures)
class EnterpriseFiguresAdmin(ExportAdminMixin, QuarterFiguresAdmin):
    resource_classes = [EnterpriseFiguresResource]
    list_display = ["unit", "period", "tech_smes", "high_tech", "specialised_smes", "little_giants", "updated_at"]
    list_filter = ["period", "unit__group"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]


class RegistrationInline(RestrictedTabularInline):
    model = Registration
    fields = ["unit", "since", "until"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(RestrictedAdmin):
    list_display = ["name", "credit_code", "unit", "industry", "founded", "updated_at"]
    list_filter = ["unit__group"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["unit"]
    fields = ["credit_code", "name", "earlier_names", "industry", "founded", "unit"]
    inlines = [RegistrationInline]

    def get_readonly_fields(self, request, obj=None):
        # The unit changes only by a dated move (enterprise_move), which keeps where it was before.
        return ["earlier_names", "unit"] if obj else ["earlier_names"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in ("name", "credit_code", "industry", "founded")}
        if change:
            enterprise_update(user=request.user, enterprise=obj, **fields)
        else:
            obj.pk = enterprise_create(user=request.user, unit=form.cleaned_data["unit"], **fields).pk


@admin.register(StatusRecord)
class StatusRecordAdmin(RestrictedAdmin):
    list_display = ["enterprise", "kind", "number", "issued", "valid_until", "revoked"]
    list_filter = ["kind", "enterprise__unit__group"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "number"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]

    def get_readonly_fields(self, request, obj=None):
        return ["enterprise", "kind", "issued"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        record, _changed = status_record_save(user=request.user, enterprise=obj.enterprise, kind=obj.kind,
                                              issued=obj.issued, number=data.get("number") or "",
                                              valid_until=data.get("valid_until"))
        if (record.revoked, record.revoked_reason) != (data.get("revoked"), data.get("revoked_reason") or ""):
            record = status_record_revoke(user=request.user, record=record, on=data.get("revoked"),
                                          reason=data.get("revoked_reason") or "")
        obj.pk = record.pk


@admin.register(StatusValidity)
class StatusValidityAdmin(RestrictedAdmin):
    list_display = ["kind", "rule", "years"]


class CultivationNoteInline(RestrictedTabularInline):
    model = CultivationNote
    fields = ["period", "text", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # notes are written on the list's page, through cultivation_note_save


@admin.register(CultivationEntry)
class CultivationEntryAdmin(RestrictedAdmin):
    list_display = ["enterprise", "unit", "target", "due", "recommended", "updated_at"]
    list_filter = ["target", "unit__group"]
    search_fields = ["enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise", "unit"]
    autocomplete_fields = ["enterprise"]
    fields = ["unit", "enterprise", "target", "due", "recommended"]
    inlines = [CultivationNoteInline]

    def get_readonly_fields(self, request, obj=None):
        return ["unit", "enterprise"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        entry = cultivation_entry_save(user=request.user, unit=obj.unit, enterprise=obj.enterprise,
                                       target=data["target"], due=data["due"], entry=obj if change else None)
        if entry.recommended != data.get("recommended"):
            entry = cultivation_entry_recommend(user=request.user, entry=entry, on=data.get("recommended"))
        obj.pk = entry.pk

    def delete_model(self, request, obj):
        cultivation_entry_delete(user=request.user, entry=obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            cultivation_entry_delete(user=request.user, entry=entry)

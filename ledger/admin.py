from django.contrib import admin

from ledger.models import Attachment, LeaderAssignment, ProgressNote, Round, RoundItem, Task
from portal.admin import RestrictedAdmin, RestrictedTabularInline


class ProgressNoteInline(RestrictedTabularInline):
    model = ProgressNote
    extra = 0


class AttachmentInline(RestrictedTabularInline):
    model = Attachment
    extra = 0


@admin.register(Task)
class TaskAdmin(RestrictedAdmin):
    list_display = ["title", "unit", "kind", "article", "office", "due", "status", "progress"]
    list_filter = ["kind", "status", "unit__group", "article"]
    search_fields = ["title", "office", "owner", "unit__name"]
    list_select_related = ["unit", "article"]
    date_hierarchy = "due"
    inlines = [ProgressNoteInline, AttachmentInline]


@admin.register(LeaderAssignment)
class LeaderAssignmentAdmin(RestrictedAdmin):
    list_display = ["leader", "note"]
    filter_horizontal = ["units"]


class RoundItemInline(RestrictedTabularInline):
    model = RoundItem
    extra = 0
    raw_id_fields = ["task"]
    readonly_fields = ["answered_by", "answered_at"]


@admin.register(Round)
class RoundAdmin(RestrictedAdmin):
    list_display = ["title", "due", "created_by", "created_at"]
    inlines = [RoundItemInline]

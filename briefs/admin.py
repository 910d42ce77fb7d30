from django.contrib import admin

from briefs.models import BriefSubscription, QuarterlyBrief


@admin.register(QuarterlyBrief)
class QuarterlyBriefAdmin(admin.ModelAdmin):
    list_display = ["plan", "period", "generated_at", "trigger", "run", "mailed_at"]
    list_filter = ["plan", "trigger"]
    list_select_related = ["plan", "period", "run"]
    readonly_fields = ["plan", "period", "file", "generated_at", "run", "trigger", "requested_by", "mailed_at"]

    def has_add_permission(self, request):
        return False  # generated from the snapshot only (the briefs page or a completed quarter)


@admin.register(BriefSubscription)
class BriefSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    autocomplete_fields = ["user"]

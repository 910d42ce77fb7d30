"""The district restriction for the admin: every list, object and select goes through `restrict()`."""
from django.contrib import admin
from import_export.admin import ExportActionMixin
from simple_history.admin import SimpleHistoryAdmin

from portal.querysets import RestrictedQuerySet
from portal.resources import EXPORT_FORMATS


class RestrictedAdmin(SimpleHistoryAdmin):
    """A ModelAdmin whose rows, permissions and foreign-key choices follow `restrict(user, action)`."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")

    def _allowed(self, request, obj, action):
        if obj is None:
            return True
        return type(obj)._default_manager.restrict(request.user, action).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        # Also guards the history pages, which find an object outside get_queryset through its history.
        return super().has_view_permission(request, obj) and self._allowed(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj, "delete")

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        # Import jobs and computed values keep no django-simple-history: show the admin's own log.
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = db_field.remote_field.model._default_manager.all()
        if isinstance(queryset, RestrictedQuerySet):
            kwargs["queryset"] = queryset.restrict(request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExportAdminMixin(ExportActionMixin):
    """Export of the admin list (and of selected rows) to Excel and CSV: the rows get_queryset allows, through
    the admin's `resource_classes` (SafeResource: Chinese headers, formulas neutralised)."""

    export_formats = EXPORT_FORMATS


class RestrictedExportAdmin(ExportAdminMixin, RestrictedAdmin):
    pass

"""The district restriction for the admin: every list, object, inline, history page and choice goes through
`restrict()` (people through `people_visible_to()`), for every ModelAdmin and inline of the portal's apps.

tests/test_guessed_ids.py checks that every registered admin and each of its inlines is built on these.
"""
from django.contrib import admin
from django.utils import timezone
from import_export.admin import ExportActionMixin
from simple_history.admin import SimpleHistoryAdmin

from portal import roles
from portal.downloads import attachment
from portal.querysets import people_visible_to, visible_rows
from portal.resources import EXPORT_FORMATS


class RestrictedChoices:
    """Foreign-key and many-to-many choices limited to the rows (and people) the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", visible_rows(db_field.remote_field.model._default_manager.all(), request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", visible_rows(db_field.remote_field.model._default_manager.all(), request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RestrictedInline(RestrictedChoices):
    """An inline shows only the related rows the user may see: a round's items of other units stay hidden."""

    def get_queryset(self, request):
        return visible_rows(super().get_queryset(request), request.user)


class RestrictedTabularInline(RestrictedInline, admin.TabularInline):
    pass


class RestrictedAdmin(RestrictedChoices, SimpleHistoryAdmin):
    """A ModelAdmin whose rows, permissions, inlines, history pages and choices follow `restrict(user, action)`.

    An object is viewable only if it is in `get_queryset`, so an admin that narrows its rows further (draft
    evaluations) is obeyed by the history pages too, which find objects through their history."""

    def get_queryset(self, request):
        return visible_rows(super().get_queryset(request), request.user)

    def _allowed(self, request, obj, action):
        if obj is None:
            return True
        model = type(obj)
        if not model._default_manager.filter(pk=obj.pk).exists():
            return roles.is_municipal(request.user)  # a deleted row's history: the bureau's to read
        rows = self.get_queryset(request) if action == "view" else visible_rows(
            model._default_manager.all(), request.user, action)
        return rows.filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj, "view")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj, "change")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj, "delete")

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        # Models without django-simple-history (import jobs, runs, reference lists): the admin's own log.
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def render_history_view(self, request, template, context, **kwargs):
        # Who changed a row is shown only if the user may see that person.
        records = context["page_obj"].object_list
        visible = set(people_visible_to(request.user).filter(
            pk__in={record.history_user_id for record in records}).values_list("pk", flat=True))
        for record in records:
            if record.history_user_id not in visible:
                record.history_user = None
        return super().render_history_view(request, template, context, **kwargs)


class ExportAdminMixin(ExportActionMixin):
    """Export of the admin list (and of selected rows) to Excel and CSV: the rows get_queryset allows, through
    the admin's `resource_classes` (SafeResource: Chinese headers, formulas neutralised)."""

    export_formats = EXPORT_FORMATS

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        ascii_name = self.get_export_filename(request, queryset, file_format)
        name = f"{self.model._meta.verbose_name_plural}-{timezone.localdate()}.{file_format.get_extension()}"
        response["Content-Disposition"] = attachment(name, ascii_name)
        return response


class RestrictedExportAdmin(ExportAdminMixin, RestrictedAdmin):
    pass

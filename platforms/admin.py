from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from districts.services import quarter_editable
from platforms.models import Platform, PlatformMilestone
from platforms.resources import PlatformMilestoneResource, PlatformResource
from platforms.services import milestone_add, status_step_problem
from portal.admin import RestrictedExportAdmin


class PlatformMilestoneInline(admin.TabularInline):
    model = PlatformMilestone
    extra = 0
    fields = ["period", "date", "title", "status", "note"]


@admin.register(Platform)
class PlatformAdmin(RestrictedExportAdmin):
    resource_classes = [PlatformResource]
    list_display = ["name", "unit", "kind", "level", "status", "featured", "theme", "founded"]
    list_filter = ["kind", "level", "status", "featured", "unit__group"]
    search_fields = ["name", "theme", "unit__name"]
    list_select_related = ["unit"]
    inlines = [PlatformMilestoneInline]


class MilestoneAdminForm(forms.ModelForm):
    """A milestone goes into a quarter the user may fill for that platform's unit, as on the platform page."""

    user = None  # set by PlatformMilestoneAdmin.get_form

    def clean(self):
        data = super().clean()
        platform, period = data.get("platform"), data.get("period")
        if platform and period and not quarter_editable(user=self.user, unit=platform.unit, period=period):
            raise ValidationError(_("%(unit)s %(period)s 不在开放填报中，不能在此添加或修改进展。")
                                  % {"unit": platform.unit, "period": period.code})
        if platform and (problem := status_step_problem(platform, data.get("status"))):
            self.add_error("status", problem)
        return data


@admin.register(PlatformMilestone)
class PlatformMilestoneAdmin(RestrictedExportAdmin):
    resource_classes = [PlatformMilestoneResource]
    form = MilestoneAdminForm
    list_display = ["platform", "period", "date", "title", "status"]
    list_filter = ["period", "status"]
    list_select_related = ["platform", "period"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        fields = {name: getattr(obj, name) for name in ("platform", "period", "date", "title", "status", "note")}
        obj.pk = milestone_add(user=request.user, **fields).pk

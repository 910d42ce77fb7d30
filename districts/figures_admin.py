"""The admin of a figures model, held to the same rules as the quarter page.

The form's clean() asks `quarter_editable` (so a clerk cannot touch an approved or closed quarter
here either) and `check_quarter` (the same errors as everywhere); the save goes through
`figures_save`, so versions, history and the approved-figures signal stay consistent.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from districts.registry import sections
from districts.services import figures_save, quarter_editable
from districts.validation import check_quarter, errors
from portal.admin import RestrictedAdmin


def _values(section, data) -> dict:
    prefix = section.key
    if section.row_field:
        row = next((r for r in section.rows() if r.value == data.get(section.row_field)), None)
        if row is None:
            return {}
        prefix = f"{section.key}.{row.code}"
    return {f"{prefix}.{figure.field}": data.get(figure.field) for figure in section.figures}


class QuarterFiguresForm(forms.ModelForm):
    user = None  # set by QuarterFiguresAdmin.get_form

    def _key(self, data, name):
        """unit, period or the row field: from the form on add, from the row on change (read-only there)."""
        if name in data:
            return data[name]
        return getattr(self.instance, name) if getattr(self.instance, f"{name}_id", None) else None

    def clean(self):
        data = super().clean()
        section = sections.for_model(self._meta.model)
        unit, period = self._key(data, "unit"), self._key(data, "period")
        if unit is None or period is None:
            return data
        if not quarter_editable(user=self.user, unit=unit, period=period):
            raise ValidationError(_("%(unit)s %(period)s 已锁定（已提交、已审核或未开放填报），不能在此修改。")
                                  % {"unit": unit, "period": period.code})
        row = {section.row_field: self._key(data, section.row_field)} if section.row_field else {}
        self.values = _values(section, data | row)
        for problem in errors(check_quarter(unit=unit, period=period, values=self.values)):
            field = problem.figure.rpartition(".")[2]
            self.add_error(field if field in self.fields else None, problem.message)
        return data


class QuarterFiguresAdmin(RestrictedAdmin):
    form = QuarterFiguresForm
    key_fields = ("unit", "period")

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "version", "updated_by"]
        row_field = sections.for_model(self.model).row_field
        return fields + ([*self.key_fields, *([row_field] if row_field else [])] if obj else [])

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        figures_save(user=request.user, unit=obj.unit, period=obj.period, values=form.values)
        section = sections.for_model(self.model)
        lookup = {"unit": obj.unit, "period": obj.period}
        if section.row_field:
            lookup[section.row_field] = getattr(obj, section.row_field)
        obj.pk = self.model._default_manager.get(**lookup).pk

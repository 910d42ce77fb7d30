"""Export Resources of districts' lists, and the base for every unit-and-quarter list."""
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from districts.models import Submission
from portal.resources import SafeResource


class UnitResource(SafeResource):
    """A list of rows that belong to a unit: its code and name first."""

    unit_code = Field(attribute="unit__code", column_name=_("单位代码"))
    unit_name = Field(attribute="unit__name", column_name=_("单位名称"))


class QuarterResource(UnitResource):
    """A list of a unit's quarterly rows: unit, then the quarter as 2025Q4."""

    period_code = Field(attribute="period__code", column_name=_("季度"))


class SubmissionResource(QuarterResource):
    state_label = Field(attribute="get_state_display", column_name=_("状态"))

    class Meta:
        model = Submission
        fields = ["unit_code", "unit_name", "period_code", "state_label", "submitted_at", "approved_at", "updated_at"]
        export_order = fields

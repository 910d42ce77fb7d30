from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from districts.resources import QuarterResource, UnitResource
from funds.models import EconomyFigures, FundAllocation, FundFlow


class EconomyFiguresResource(QuarterResource):
    class Meta:
        model = EconomyFigures
        fields = ["unit_code", "unit_name", "period_code", "rd_spending", "industrial_output", "zone_output", "gdp",
                  "updated_at"]
        export_order = fields


class FundFlowResource(QuarterResource):
    fund_name = Field(attribute="fund__name", column_name=_("资金"))

    class Meta:
        model = FundFlow
        fields = ["unit_code", "unit_name", "period_code", "fund_name", "received", "disbursed", "updated_at"]
        export_order = fields


class FundAllocationResource(UnitResource):
    fund_name = Field(attribute="fund__name", column_name=_("资金"))
    disbursed = Field(attribute="disbursed", column_name=_("已支出（万元）"))

    class Meta:
        model = FundAllocation
        fields = ["fund_name", "unit_code", "unit_name", "year", "allocated", "disbursed", "purpose"]
        export_order = fields

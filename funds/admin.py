from django.contrib import admin

from districts.figures_admin import QuarterFiguresAdmin
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from funds.resources import EconomyFiguresResource, FundAllocationResource, FundFlowResource
from portal.admin import ExportAdminMixin, RestrictedAdmin, RestrictedExportAdmin


@admin.register(EconomyFigures)
class EconomyFiguresAdmin(ExportAdminMixin, QuarterFiguresAdmin):
    resource_classes = [EconomyFiguresResource]
    list_display = ["unit", "period", "rd_spending", "industrial_output", "zone_output", "gdp"]
    list_filter = ["period", "unit__group"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]


@admin.register(Fund)
class FundAdmin(RestrictedAdmin):
    list_display = ["name", "kind", "code"]


@admin.register(FundAllocation)
class FundAllocationAdmin(RestrictedExportAdmin):
    resource_classes = [FundAllocationResource]
    list_display = ["fund", "unit", "year", "allocated", "disbursed", "purpose"]
    list_filter = ["year", "fund", "unit__group"]
    list_select_related = ["fund", "unit"]


@admin.register(FundFlow)
class FundFlowAdmin(ExportAdminMixin, QuarterFiguresAdmin):
    resource_classes = [FundFlowResource]
    list_display = ["unit", "period", "fund", "received", "disbursed"]
    list_filter = ["period", "fund"]
    list_select_related = ["unit", "period", "fund"]

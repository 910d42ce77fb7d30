from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("研发投入与科技金融")
    role_permissions = roles.domain_permissions("funds", fundflow=roles.WRITE, economyfigures=roles.WRITE)

    def ready(self):
        from districts.registry import sections
        from funds.sections import ECONOMY_SECTION, FUND_FLOW_SECTION

        sections.register(ECONOMY_SECTION)
        sections.register(FUND_FLOW_SECTION)

        from districts.exports import ExportList, export_lists
        from funds.resources import EconomyFiguresResource, FundAllocationResource, FundFlowResource

        export_lists.register(ExportList("economy", _("研发投入与产值"), EconomyFiguresResource, order=20))
        export_lists.register(ExportList("fundflows", _("资金到位与支出"), FundFlowResource, order=30))
        export_lists.register(ExportList("allocations", _("资金下达"), FundAllocationResource, order=40))

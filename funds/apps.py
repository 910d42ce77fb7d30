from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("研发投入与科技金融")

    def ready(self):
        from districts.registry import sections
        from funds.sections import ECONOMY_SECTION, FUND_FLOW_SECTION

        sections.register(ECONOMY_SECTION)
        sections.register(FUND_FLOW_SECTION)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = _("季度简报")

    def ready(self):
        from briefs.receivers import on_dashboards_computed
        from indicators.signals import dashboards_computed

        dashboards_computed.connect(on_dashboards_computed, dispatch_uid="briefs.dashboards_computed")

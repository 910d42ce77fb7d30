from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = _("季度简报")
    # Leaders' briefs: municipal users read them (staff also make them); district staff have no part in them.
    role_permissions = {
        roles.MUNICIPAL_STAFF: {"briefs": roles.ALL},
        roles.MUNICIPAL_VIEWER: {"briefs": roles.READ},
        roles.API_CONSUMER: {"briefs": roles.READ},
    }

    def ready(self):
        from briefs.receivers import on_dashboards_computed
        from indicators.signals import dashboards_computed

        dashboards_computed.connect(on_dashboards_computed, dispatch_uid="briefs.dashboards_computed")

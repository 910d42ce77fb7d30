from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("任务台账")
    role_permissions = roles.domain_permissions(
        "ledger", task=roles.WRITE, progressnote=roles.WRITE, attachment=roles.WRITE, rounditem=("view", "change")
    )

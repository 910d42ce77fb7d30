from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = _("科技企业")
    role_permissions = roles.domain_permissions("enterprises", district_staff=roles.WRITE, statusvalidity=roles.READ)

    def ready(self):
        from districts.registry import sections
        from enterprises.sections import ENTERPRISE_SECTION

        sections.register(ENTERPRISE_SECTION)

        from districts.exports import ExportList, export_lists
        from enterprises.resources import EnterpriseFiguresResource

        export_lists.register(ExportList("enterprises", _("科技企业数量"), EnterpriseFiguresResource, order=10))

        from django.db.models.signals import post_delete, post_save

        from enterprises.models import Registration, StatusRecord
        from enterprises.selectors import new_registry_version
        from enterprises.signals import registry_changed

        for model in (StatusRecord, Registration):
            for signal in (post_save, post_delete):
                signal.connect(_registry_written, sender=model, dispatch_uid=f"enterprises.changed.{model.__name__}")
        registry_changed.connect(new_registry_version, dispatch_uid="enterprises.registry_version")


def _registry_written(sender, raw=False, **kwargs):
    """A status record or a registration saved or deleted one at a time (the bulk writes send the signal
    themselves)."""
    from enterprises.signals import registry_changed

    registry_changed.send(sender=sender, raw=raw)

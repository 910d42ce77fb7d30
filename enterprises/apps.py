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

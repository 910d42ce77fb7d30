from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("区县与填报")
    role_permissions = roles.domain_permissions("districts")

    def ready(self):
        from districts.exports import ExportList, export_lists
        from districts.resources import SubmissionResource

        export_lists.register(ExportList("submissions", _("季度报送"), SubmissionResource, order=5))

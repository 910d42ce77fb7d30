from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("创新平台")
    role_permissions = roles.domain_permissions("platforms", platformmilestone=roles.WRITE)

    def ready(self):
        from districts.registry import sections
        from platforms.sections import MILESTONE_SECTION

        sections.register(MILESTONE_SECTION)

        from districts.exports import ExportList, export_lists
        from platforms.resources import PlatformMilestoneResource, PlatformResource

        export_lists.register(ExportList("platforms", _("创新平台"), PlatformResource, order=50))
        export_lists.register(ExportList("milestones", _("平台进展"), PlatformMilestoneResource, order=60))

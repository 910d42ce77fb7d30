from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("创新平台")

    def ready(self):
        from districts.registry import sections
        from platforms.sections import MILESTONE_SECTION

        sections.register(MILESTONE_SECTION)

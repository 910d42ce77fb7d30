from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台")
    # Municipal staff keep the beat schedule (portal/schedule.py writes it to django-celery-beat's tables).
    role_permissions = {roles.MUNICIPAL_STAFF: {"django_celery_beat": roles.ALL}}

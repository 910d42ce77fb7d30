from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("创新监测评价")
    role_permissions = roles.domain_permissions("evaluation")

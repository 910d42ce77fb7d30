from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefTrigger(models.TextChoices):
    COMPLETED = "completed", _("季度数据全部审核")
    ON_DEMAND = "on_demand", _("手动生成")

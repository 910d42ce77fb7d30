from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformKind(models.TextChoices):
    HIGH_TECH_ZONE = "high_tech_zone", _("高新区")
    INNOVATIVE_COUNTY = "innovative_county", _("创新型县（市、区）")
    LABORATORY = "laboratory", _("实验室")
    KEY_LABORATORY = "key_laboratory", _("重点实验室")
    INNOVATION_CENTER = "innovation_center", _("技术创新中心")
    RD_INSTITUTE = "rd_institute", _("新型研发机构")
    INCUBATOR = "incubator", _("孵化器")
    MAKER_SPACE = "maker_space", _("众创空间")
    STAR_SPACE = "star_space", _("星创天地")
    AGRI_PARK = "agri_park", _("农业科技园区")
    INNOVATION_PARK = "innovation_park", _("科创园区")
    POPSCI_BASE = "popsci_base", _("科普基地")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区县级")


class PlatformStatus(models.TextChoices):
    """In order of progress: a platform moves down this list."""

    PLANNED = "planned", _("规划中")
    UNDER_CONSTRUCTION = "under_construction", _("建设中")
    ESTABLISHED = "established", _("已建成")
    UPGRADED = "upgraded", _("已升级")


STATUS_RANK = {status: rank for rank, status in enumerate(PlatformStatus.values)}

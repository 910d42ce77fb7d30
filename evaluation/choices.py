from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation import index


class Normalisation(models.TextChoices):
    MINMAX = index.MINMAX, _("极差标准化（0–100）")
    ZSCORE = index.ZSCORE, _("Z 分数标准化")


class MissingRule(models.TextChoices):
    REWEIGHT = index.REWEIGHT, _("剔除缺失项并按剩余权重重新分配")
    ZERO = index.ZERO, _("缺失项记零分")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    TASK = "task", _("重点任务")
    PROJECT = "project", _("项目")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("暂缓")


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)

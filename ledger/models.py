import datetime

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import Period, PolicyArticle, Unit
from ledger.choices import OPEN_STATUSES, TaskKind, TaskStatus
from ledger.validators import ATTACHMENT_EXTENSIONS, validate_attachment_size
from portal.querysets import RestrictedQuerySet

# A task is at risk when its progress trails the share of its time already spent by this many points.
AT_RISK_LAG = 20
DUE_SOON_DAYS = 30


class TaskQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due__lt=today or timezone.localdate())


class Task(models.Model):
    """A key task (落实任务清单) or a project (项目台账) of one unit."""

    unit_field = "unit"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="tasks", verbose_name=_("区县单位"))
    kind = models.CharField(_("类别"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    title = models.CharField(_("名称"), max_length=200)
    article = models.ForeignKey(PolicyArticle, models.PROTECT, null=True, blank=True, related_name="tasks",
                                verbose_name=_("对应政策条目"))
    office = models.CharField(_("责任科室"), max_length=100)
    owner = models.CharField(_("责任人"), max_length=50)
    start = models.DateField(_("开始日期"))
    due = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0, validators=[MaxValueValidator(100)])
    investment = models.DecimalField(_("计划投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     help_text=_("项目填写；重点任务可留空"))
    description = models.TextField(_("主要内容"), blank=True)
    reminded_on = models.DateField(_("最近催办日期"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["reminded_on"])

    class Meta:
        ordering = ["unit__order", "due", "pk"]
        verbose_name = _("任务台账")
        verbose_name_plural = _("任务台账")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_at_most_100",
                                   violation_error_message=_("完成进度应为 0 到 100 之间的整数")),
            models.CheckConstraint(condition=Q(due__gte=models.F("start")), name="task_due_not_before_start",
                                   violation_error_message=_("完成时限不能早于开始日期")),
            models.CheckConstraint(condition=~Q(status=TaskStatus.DONE) | Q(progress=100),
                                   name="task_done_means_100",
                                   violation_error_message=_("状态为“已完成”时，完成进度应为 100%%")),
        ]
        indexes = [
            # the overdue reminders and the leader page: open tasks by due date
            models.Index(fields=["status", "due"], name="task_status_due"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in OPEN_STATUSES and self.due < (today or timezone.localdate())

    def is_at_risk(self, today: datetime.date | None = None) -> bool:
        """Not yet overdue, but its progress trails the time spent, or it is due soon and far from done."""
        today = today or timezone.localdate()
        if self.status not in OPEN_STATUSES or self.due < today:
            return False
        span = max((self.due - self.start).days, 1)
        spent = min(max((today - self.start).days, 0), span) * 100 / span
        due_soon = (self.due - today).days <= DUE_SOON_DAYS and self.progress < 100 - AT_RISK_LAG
        return self.progress < spent - AT_RISK_LAG or due_soon


class ProgressNote(models.Model):
    """The quarterly progress note of a task."""

    unit_field = "task__unit"

    task = models.ForeignKey(Task, models.CASCADE, related_name="notes", verbose_name=_("任务"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("季度"))
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("进展情况"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "-period__ordinal"]
        verbose_name = _("季度进展")
        verbose_name_plural = _("季度进展")
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="progressnote_unique_task_period",
                                    violation_error_message=_("该任务该季度已有进展记录，请修改原记录")),
            models.CheckConstraint(condition=Q(progress__lte=100), name="progressnote_progress_at_most_100",
                                   violation_error_message=_("完成进度应为 0 到 100 之间的整数")),
        ]

    def __str__(self):
        return f"{self.task} {self.period}"


class Attachment(models.Model):
    """A supporting document of a task (PDF, Word, Excel, images), stored under MEDIA_ROOT."""

    unit_field = "task__unit"

    task = models.ForeignKey(Task, models.CASCADE, related_name="attachments", verbose_name=_("任务"))
    file = models.FileField(_("文件"), upload_to="ledger/%Y/%m/",
                            validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size])
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "-uploaded_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name


class LeaderAssignment(models.Model):
    """分片指导: the units a bureau leader guides, kept by municipal staff."""

    leader = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="assignment",
                                  verbose_name=_("局领导"))
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("联系区县"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        verbose_name = _("分片指导")
        verbose_name_plural = _("分片指导")

    def __str__(self):
        return str(self.leader.get_full_name() or self.leader)


class Round(models.Model):
    """A scheduling round (调度): the bureau asks for updates on chosen key tasks by a date."""

    title = models.CharField(_("调度事项"), max_length=200)
    due = models.DateField(_("反馈截止日期"))
    instructions = models.TextField(_("调度要求"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("调度轮次")
        verbose_name_plural = _("调度轮次")

    def __str__(self):
        return self.title


class RoundItem(models.Model):
    """One task asked about in a round, and its unit's answer."""

    unit_field = "task__unit"

    round = models.ForeignKey(Round, models.CASCADE, related_name="items", verbose_name=_("调度轮次"))
    task = models.ForeignKey(Task, models.CASCADE, related_name="round_items", verbose_name=_("任务"))
    answer = models.TextField(_("反馈情况"), blank=True)
    progress = models.PositiveSmallIntegerField(_("完成进度（%）"), null=True, blank=True,
                                                validators=[MaxValueValidator(100)])
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("反馈人"))
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "task__unit__order", "task__due"]
        verbose_name = _("调度反馈")
        verbose_name_plural = _("调度反馈")
        constraints = [
            models.UniqueConstraint(fields=["round", "task"], name="rounditem_unique_task",
                                    violation_error_message=_("该调度已包含此任务")),
            models.CheckConstraint(condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                                   name="rounditem_answer_has_text",
                                   violation_error_message=_("反馈情况不能为空")),
        ]

    def __str__(self):
        return f"{self.round} · {self.task}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

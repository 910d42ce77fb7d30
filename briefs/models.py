from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefs.choices import BriefTrigger
from districts.models import Period
from indicators.models import DashboardRun, Plan
from portal import roles


def briefs_allowed(user, action: str = "view") -> bool:
    """A brief ranks every unit, so only municipal users read them (with the permission), as the ranking page."""
    return (user.is_authenticated and user.is_active and roles.is_municipal(user)
            and user.has_perm(f"briefs.{action}_quarterlybrief"))


class BriefQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        return self if briefs_allowed(user, action) else self.none()


class QuarterlyBrief(models.Model):
    """The leaders' PDF brief of one plan and quarter, as generated from one dashboard run.

    A quarter may have several: the one generated when it completed, and any asked for later; the
    newest is the one offered. Briefs generated on completion are mailed to the subscribers once.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="briefs", verbose_name=_("规划"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("季度"))
    file = models.FileField(_("文件"), upload_to="briefs/%Y/")
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    run = models.ForeignKey(DashboardRun, models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name=_("看板计算批次"))
    trigger = models.CharField(_("生成方式"), max_length=10, choices=BriefTrigger.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("生成人"))
    mailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-period__ordinal", "plan__order", "-generated_at"]
        verbose_name = _("季度简报")
        verbose_name_plural = _("季度简报")
        constraints = [
            # two runs finishing together must not brief (and mail) a completed quarter twice
            models.UniqueConstraint(fields=["plan", "period"], condition=models.Q(trigger=BriefTrigger.COMPLETED),
                                    name="brief_once_on_completion",
                                    violation_error_message=_("该规划该季度已有审核完成时生成的简报")),
        ]
        indexes = [
            # the briefs page and the overview's link: the newest brief of a plan and quarter
            models.Index(fields=["plan", "period", "-generated_at"], name="brief_plan_period_newest"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.period} · {_('季度简报')}"


class BriefSubscription(models.Model):
    """A leader's wish to get each new quarterly brief by mail (one per user)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="brief_subscription",
                                verbose_name=_("用户"))
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("简报订阅")
        verbose_name_plural = _("简报订阅")

    def __str__(self):
        return str(self.user)

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import Period, QuarterQuerySet, Unit
from platforms.choices import PlatformKind, PlatformLevel, PlatformStatus
from portal.querysets import RestrictedQuerySet


class Platform(models.Model):
    """An innovation platform of a unit: a high-tech zone, a lab, a park, an incubator…"""

    unit_field = "unit"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="platforms", verbose_name=_("区县单位"))
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=PlatformKind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=PlatformLevel.choices)
    status = models.CharField(_("状态"), max_length=20, choices=PlatformStatus.choices, default=PlatformStatus.PLANNED)
    theme = models.CharField(_("主题"), max_length=100, blank=True)
    featured = models.BooleanField(_("一区（县）一平台"), default=False, help_text=_("该单位重点打造的特色平台"))
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    description = models.TextField(_("简介"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "-featured", "name"]
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="platform_unique_unit_name",
                violation_error_message=_("该单位已有同名平台"),
            )
        ]

    def __str__(self):
        return self.name


class PlatformMilestone(models.Model):
    """Something that happened to a platform, reported in a quarter; it may move the platform's status."""

    unit_field = "platform__unit"
    period_field = "period"

    platform = models.ForeignKey(Platform, models.CASCADE, related_name="milestones", verbose_name=_("创新平台"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("填报期"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    status = models.CharField(
        _("达到状态"), max_length=20, choices=PlatformStatus.choices, blank=True,
        help_text=_("该事项使平台进入的状态；不改变状态则留空"),
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )

    objects = QuarterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "-date", "-pk"]
        verbose_name = _("平台进展")
        verbose_name_plural = _("平台进展")

    def __str__(self):
        return f"{self.platform} {self.date} {self.title}"

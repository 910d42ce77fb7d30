from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import QuarterFigures


class EnterpriseFigures(QuarterFigures):
    """Enterprise counts of a unit at the end of a quarter (stocks)."""

    tech_smes = models.PositiveIntegerField(_("科技型企业（入库数）"), null=True, blank=True)
    high_tech = models.PositiveIntegerField(_("高新技术企业（有效数）"), null=True, blank=True)
    specialised_smes = models.PositiveIntegerField(_("专精特新中小企业"), null=True, blank=True)
    little_giants = models.PositiveIntegerField(_("其中：专精特新“小巨人”企业"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(QuarterFigures.Meta):
        verbose_name = _("企业数量")
        verbose_name_plural = _("企业数量")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="enterprisefigures_unique_unit_period",
                violation_error_message=_("该单位该季度已有企业数量记录"),
            ),
            models.CheckConstraint(
                condition=Q(little_giants__isnull=True)
                | Q(specialised_smes__isnull=True)
                | Q(little_giants__lte=F("specialised_smes")),
                name="enterprisefigures_little_giants_within_specialised",
                violation_error_message=_("“小巨人”企业数不能多于专精特新中小企业数"),
            ),
        ]

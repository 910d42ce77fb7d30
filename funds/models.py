from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import QuarterFigures, Unit, quarter_history
from funds.choices import FundKind
from portal.querysets import RestrictedQuerySet

MONEY = {"max_digits": 16, "decimal_places": 2}


class EconomyFigures(QuarterFigures):
    """R&D spending, industrial output and GDP of a unit, year to date at quarter end, in 万元."""

    rd_spending = models.DecimalField(_("全社会研发经费投入（万元）"), null=True, blank=True, **MONEY)
    industrial_output = models.DecimalField(_("工业总产值（万元）"), null=True, blank=True, **MONEY)
    zone_output = models.DecimalField(
        _("高新区工业总产值（万元）"), null=True, blank=True, help_text=_("仅设有高新区的单位填报"), **MONEY
    )
    gdp = models.DecimalField(_("地区生产总值（万元）"), null=True, blank=True, **MONEY)

    history = quarter_history()

    class Meta(QuarterFigures.Meta):
        verbose_name = _("研发投入与产值")
        verbose_name_plural = _("研发投入与产值")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="economyfigures_unique_unit_period",
                violation_error_message=_("该单位该季度已有研发投入与产值记录"),
            ),
            models.CheckConstraint(
                condition=Q(rd_spending__gte=0) & Q(industrial_output__gte=0) & Q(zone_output__gte=0) & Q(gdp__gte=0)
                | Q(rd_spending__isnull=True)
                | Q(industrial_output__isnull=True)
                | Q(zone_output__isnull=True)
                | Q(gdp__isnull=True),
                name="economyfigures_not_negative",
            ),
        ]


class Fund(models.Model):
    """A fund or finance instrument of 科技金融 (special fund, cultivation fund, risk pool, credit loans)."""

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=FundKind.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("资金")
        verbose_name_plural = _("资金")

    def __str__(self):
        return self.name


class FundAllocation(models.Model):
    """Money of a fund allocated to a unit for a year, entered by municipal staff."""

    unit_field = "unit"

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="allocations", verbose_name=_("资金"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="fund_allocations", verbose_name=_("区县单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    allocated = models.DecimalField(_("下达金额（万元）"), **MONEY)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__order", "fund__order"]
        verbose_name = _("资金下达")
        verbose_name_plural = _("资金下达")
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "unit", "year"],
                name="fundallocation_unique_fund_unit_year",
                violation_error_message=_("该资金该单位该年度已有下达记录"),
            ),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="fundallocation_allocated_not_negative"),
        ]

    def __str__(self):
        return f"{self.fund} {self.unit} {self.year}"

    @property
    def disbursed(self):
        """Disbursed so far this year: the latest quarter's year-to-date report."""
        latest = (
            FundFlow.objects.filter(fund=self.fund, unit=self.unit, period__year=self.year)
            .order_by("-period__ordinal")
            .values_list("disbursed", flat=True)
            .first()
        )
        return latest or 0


class FundFlow(QuarterFigures):
    """Money of one fund a unit received and disbursed, year to date at quarter end, in 万元."""

    fund = models.ForeignKey(Fund, models.PROTECT, related_name="flows", verbose_name=_("资金"))
    received = models.DecimalField(_("到位金额（万元）"), null=True, blank=True, **MONEY)
    disbursed = models.DecimalField(_("支出/投放金额（万元）"), null=True, blank=True, **MONEY)

    history = quarter_history()

    class Meta(QuarterFigures.Meta):
        verbose_name = _("资金到位与支出")
        verbose_name_plural = _("资金到位与支出")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "fund"],
                name="fundflow_unique_unit_period_fund",
                violation_error_message=_("该单位该季度该资金已有记录"),
            ),
            models.CheckConstraint(
                condition=(Q(received__gte=0) | Q(received__isnull=True))
                & (Q(disbursed__gte=0) | Q(disbursed__isnull=True)),
                name="fundflow_not_negative",
            ),
        ]

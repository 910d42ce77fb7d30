from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import Period, Unit, UnitGroup
from indicators.choices import Comparison, Direction, Method, Scope


class Indicator(models.Model):
    """An indicator, defined once: what it measures and how it is computed from the figures.

    `figure` and `denominator` are figure keys of the districts section registry, such as
    "enterprises.tech_smes"; `params` narrows counts (e.g. {"kind": "innovative_county"}).
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    unit_label = models.CharField(_("计量单位"), max_length=16)
    method = models.CharField(_("计算方法"), max_length=20, choices=Method.choices)
    figure = models.CharField(_("数据项"), max_length=64, blank=True)
    denominator = models.CharField(_("分母数据项"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices, default=Direction.UP)
    additive = models.BooleanField(_("可跨单位加总"), default=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self):
        return self.name


class Plan(models.Model):
    """A plan with targets: the 2022 guidance, the 2023–2027 double-doubling plan, or a later one."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    source_document = models.CharField(_("来源文件"), max_length=300, blank=True)
    baseline = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("基期"))
    active = models.BooleanField(_("正在跟踪"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("规划")
        verbose_name_plural = _("规划")

    def __str__(self):
        return self.name

    def milestones(self) -> list[Period]:
        ids = self.targets.values_list("period", flat=True).distinct()
        return list(Period.objects.filter(pk__in=ids).order_by("ordinal"))

    @property
    def horizon(self) -> Period | None:
        last = self.targets.order_by("-period__ordinal").select_related("period").first()
        return last.period if last else None


class Target(models.Model):
    """A target of a plan for one indicator at a milestone, set on the city, a group, a unit or every unit."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("规划"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="targets", verbose_name=_("指标"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("目标期"))
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices)
    group = models.ForeignKey(
        UnitGroup, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区域分组")
    )
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区县单位"))
    comparison = models.CharField(_("比较"), max_length=3, choices=Comparison.choices, default=Comparison.GTE)
    value = models.DecimalField(_("目标值"), max_digits=16, decimal_places=2)
    note = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "period__ordinal", "indicator__order", "scope"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=Scope.GROUP) & Q(group__isnull=False) & Q(unit__isnull=True))
                | (Q(scope=Scope.UNIT) & Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(scope__in=[Scope.CITY, Scope.EACH_UNIT]) & Q(unit__isnull=True) & Q(group__isnull=True)),
                name="target_scope_matches_group_and_unit",
                violation_error_message=_("范围为区域分组时须选择分组，为区县单位时须选择单位，其他情况两者都不选"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "scope"],
                condition=Q(scope__in=[Scope.CITY, Scope.EACH_UNIT]),
                name="target_unique_city_or_each_unit",
                violation_error_message=_("该规划该指标在该时期已有全市（或每个区县）目标"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "group"],
                condition=Q(group__isnull=False),
                name="target_unique_group",
                violation_error_message=_("该规划该指标在该时期已有该分组的目标"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "unit"],
                condition=Q(unit__isnull=False),
                name="target_unique_unit",
                violation_error_message=_("该规划该指标在该时期已有该单位的目标（配额）"),
            ),
        ]

    def __str__(self):
        where = self.group or self.unit or self.get_scope_display()
        return f"{self.plan} · {self.indicator} · {where} · {self.period}"

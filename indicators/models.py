from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.choices import UnitKind
from districts.models import Period, Unit, UnitGroup
from enterprises.selectors import kind_counted_by
from indicators.choices import AppliesTo, Comparison, Direction, Method, RunStatus, RunTrigger, Scope, Source, Status
from portal import roles
from portal.names import LocalizedName
from portal.querysets import RestrictedQuerySet, unit_id_of


class Indicator(LocalizedName, models.Model):
    """An indicator, defined once: what it measures and how it is computed from the figures.

    `figure` and `denominator` are figure keys of the districts section registry, such as
    "enterprises.tech_smes"; `params` narrows counts (e.g. {"kind": "innovative_county"}). An enterprise count
    may take its `source` from the registry instead of the units' reports (enterprises.selectors).
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
    source = models.CharField(
        _("数据来源"), max_length=10, choices=Source.choices, default=Source.REPORTED,
        help_text=_("企业数量类指标可改用企业库在季末的统计数（各单位按当日注册所在地计，功能区不计入全市合计）"),
    )
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")

    def __str__(self):
        return self.local_name

    def clean(self):
        if self.from_registry and not (self.method == Method.STOCK_SUM and kind_counted_by(self.figure)):
            raise ValidationError({"source": _("只有企业数量（存量合计）指标可以使用企业库统计")})

    @property
    def from_registry(self) -> bool:
        return self.source == Source.REGISTRY


class Plan(LocalizedName, models.Model):
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
        return self.local_name

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
    applies_to = models.CharField(
        _("适用单位"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.DIVISIONS,
        help_text=_("范围为“每个区县”时适用于哪些单位：默认为各区、县，规划包括功能区时选“区县和功能区”"),
    )
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
            models.CheckConstraint(
                condition=Q(scope=Scope.EACH_UNIT) | Q(applies_to=AppliesTo.DIVISIONS),
                name="target_applies_to_only_each_unit",
                violation_error_message=_("只有范围为“每个区县”的目标需要选择适用单位"),
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


def each_unit_covers(applies_to: str) -> Q:
    """The units (a filter on Unit) an "each unit" target applies to."""
    return Q() if applies_to == AppliesTo.ALL_UNITS else ~Q(kind=UnitKind.FUNCTIONAL_ZONE)


class DashboardRun(models.Model):
    """One computation of the dashboard snapshot: who or what started it, how far it got, how it ended.

    A run limited to one unit recomputes that unit and the aggregates it feeds; `unit` empty means all.
    """

    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    trigger = models.CharField(_("触发方式"), max_length=10, choices=RunTrigger.choices)
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("仅重算单位")
    )
    period = models.ForeignKey(
        Period, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("触发季度")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("发起人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    steps_done = models.PositiveIntegerField(_("已完成步骤"), default=0)
    steps_total = models.PositiveIntegerField(_("总步骤"), default=0)
    rows = models.PositiveIntegerField(_("写入行数"), default=0)
    data_updated_at = models.DateTimeField(_("数据最后更新时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    superseded_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("由此计算一并完成")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("看板计算记录")
        verbose_name_plural = _("看板计算记录")
        indexes = [
            # "when did the dashboards last refresh?" and "is anything waiting?" on every dashboard page
            models.Index(fields=["status", "-finished_at"], name="dashboardrun_status_finished"),
        ]

    def __str__(self):
        return f"{self.get_trigger_display()} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0


class IndicatorValueQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """District staff see the city and group rows, and their own unit's rows; municipal users all."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or roles.is_municipal(user) or roles.has_role(user, roles.API_CONSUMER):
            return super().restrict(user, action)
        unit_id = unit_id_of(user)
        if unit_id is None or not user.has_perm(f"indicators.{action}_indicatorvalue"):
            return self.none()
        return self.filter(Q(unit__isnull=True) | Q(unit_id=unit_id))

    def at(self, plan, indicator, period):
        return self.filter(plan=plan, indicator=indicator, period=period)


DECIMAL = {"max_digits": 20, "decimal_places": 4, "null": True, "blank": True}
# The snapshot is derived data, rebuilt from the figures under a lock (indicators/services.py): the database
# does not check its foreign keys (PostgreSQL checked each of ~1.1 million rows at commit) and indexes only
# what readers filter by (Meta.indexes, the unique constraints, `unit`). The ORM still follows the relations
# and applies on_delete itself.
DERIVED = {"db_constraint": False, "db_index": False}


class IndicatorValue(models.Model):
    """A snapshot row: one indicator of one plan for one scope (the city, a group or a unit) in one quarter.

    Written only by the dashboard computation (indicators/services.py); dashboards and the API read
    these rows and never the raw figures. Percentages (progress, growth, ratios) are in percent.
    """

    unit_field = "unit"

    run = models.ForeignKey(DashboardRun, models.PROTECT, related_name="values", verbose_name=_("计算批次"), **DERIVED)
    computed_at = models.DateTimeField(_("计算时间"))
    data_updated_at = models.DateTimeField(_("所用数据最后更新时间"), null=True, blank=True)
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="values", verbose_name=_("规划"), **DERIVED)
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name=_("指标"), **DERIVED)
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("季度"), **DERIVED)
    scope = models.CharField(_("范围"), max_length=10, choices=Scope.choices)
    group = models.ForeignKey(
        UnitGroup, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("区域分组"), **DERIVED
    )
    # the unit page, a clerk's rows and a one-unit recompute find a unit's rows by it
    unit = models.ForeignKey(Unit, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("区县单位"),
                             db_constraint=False)
    value = models.DecimalField(_("数值"), **DECIMAL)
    units_reporting = models.PositiveSmallIntegerField(_("已报单位数"), default=0)
    units_expected = models.PositiveSmallIntegerField(_("应报单位数"), default=0)
    baseline_period = models.ForeignKey(
        Period, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("基期"), **DERIVED
    )
    baseline_value = models.DecimalField(_("基期值"), **DECIMAL)
    target = models.ForeignKey(
        Target, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("目标"), **DERIVED
    )
    target_period = models.ForeignKey(
        Period, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("目标期"), **DERIVED
    )
    target_value = models.DecimalField(_("目标值"), **DECIMAL)
    progress = models.DecimalField(_("完成进度（%）"), **DECIMAL)
    expected_progress = models.DecimalField(_("应达进度（%）"), **DECIMAL)
    expected_value = models.DecimalField(_("应达值"), **DECIMAL)
    pace_ratio = models.DecimalField(
        _("进度比"), **DECIMAL, help_text=_("实际增速 ÷ 达标所需增速（加拿大统计局方法）")
    )
    gap = models.DecimalField(_("与目标差距"), **DECIMAL, help_text=_("数值减目标值；负数表示尚差"))
    projected_linear = models.DecimalField(_("目标期预测值（线性）"), **DECIMAL)
    projected_compound = models.DecimalField(_("目标期预测值（复合增长）"), **DECIMAL)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.NO_DATA)
    yoy_growth = models.DecimalField(_("同比增长（%）"), **DECIMAL)
    avg_annual_growth = models.DecimalField(_("基期以来年均增长（%）"), **DECIMAL)
    rank_all = models.PositiveSmallIntegerField(_("全市排名"), null=True, blank=True)
    rank_in_group = models.PositiveSmallIntegerField(_("组内排名"), null=True, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "indicator__order", "period__ordinal", "scope", "group__order", "unit__order"]
        verbose_name = _("指标计算结果")
        verbose_name_plural = _("指标计算结果")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope=Scope.GROUP) & Q(group__isnull=False) & Q(unit__isnull=True))
                | (Q(scope=Scope.UNIT) & Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(scope=Scope.CITY) & Q(unit__isnull=True) & Q(group__isnull=True)),
                name="indicatorvalue_scope_matches_group_and_unit",
                violation_error_message=_("范围为全市、区域分组或区县单位，且须与所选分组或单位一致"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period"],
                condition=Q(scope=Scope.CITY),
                name="indicatorvalue_unique_city",
                violation_error_message=_("该规划该指标该季度已有全市结果"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "group"],
                condition=Q(group__isnull=False),
                name="indicatorvalue_unique_group",
                violation_error_message=_("该规划该指标该季度已有该分组的结果"),
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "period", "unit"],
                condition=Q(unit__isnull=False),
                name="indicatorvalue_unique_unit",
                violation_error_message=_("该规划该指标该季度已有该单位的结果"),
            ),
        ]
        indexes = [
            # the overview, map and ranking: every unit of one plan, indicator and quarter
            models.Index(fields=["plan", "indicator", "period", "scope"], name="indicatorvalue_overview"),
        ]

    def __str__(self):
        where = self.unit or self.group or self.get_scope_display()
        return f"{self.plan} · {self.indicator} · {where} · {self.period}"

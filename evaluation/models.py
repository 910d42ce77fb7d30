from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import Period, Unit, UnitGroup
from evaluation.choices import EvaluationState, MissingRule, Normalisation, RunStatus
from evaluation.inputs import PER_UNIT_METHODS
from evaluation.weights import check_weights_sum_to_one
from indicators.models import Indicator

WEIGHT = {"max_digits": 5, "decimal_places": 4, "validators": [MinValueValidator(0), MaxValueValidator(1)]}


class Scheme(models.Model):
    """An evaluation scheme: which units are compared at which quarter, on which weighted indicators."""

    name = models.CharField(_("名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("评价年度"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("评价时点"),
                               help_text=_("取各单位该季度的指标值"))
    normalisation = models.CharField(_("标准化方法"), max_length=10, choices=Normalisation.choices,
                                     default=Normalisation.MINMAX)
    missing_rule = models.CharField(_("缺失数据处理"), max_length=10, choices=MissingRule.choices,
                                    default=MissingRule.REWEIGHT)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("参评单位"),
                                   help_text=_("留空表示全部41个单位"))
    peer_groups = models.ManyToManyField(UnitGroup, blank=True, related_name="+", verbose_name=_("组内排名分组"),
                                         help_text=_("这些分组的单位另在组内排名，如中心城区、渝东南武陵山区城镇群"))
    recognition_count = models.PositiveSmallIntegerField(_("建议激励单位数"), default=5,
                                                         help_text=_("“真抓实干”激励建议名单的人数上限"))
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords(m2m_fields=[units, peer_groups])

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="scheme_unique_name_year",
                                    violation_error_message=_("同一年度已有同名评价方案")),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def clean(self):
        if self.pk:
            check_weights_sum_to_one(self.dimensions.values_list("weight", flat=True), level=_("评价维度"))

    def compared_units(self):
        chosen = self.units.all()
        return chosen if chosen.exists() else Unit.objects.all()


class Dimension(models.Model):
    """A weighted dimension of a scheme, such as 创新投入 or 企业创新."""

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="dimensions", verbose_name=_("评价方案"))
    name = models.CharField(_("名称"), max_length=40)
    weight = models.DecimalField(_("权重"), **WEIGHT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        verbose_name = _("评价维度")
        verbose_name_plural = _("评价维度")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="dimension_unique_scheme_name",
                                    violation_error_message=_("该方案已有同名维度")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.pk:
            check_weights_sum_to_one(self.indicators.values_list("weight", flat=True), level=str(self))


class SchemeIndicator(models.Model):
    """A weighted indicator inside a dimension; its direction comes from the indicator."""

    dimension = models.ForeignKey(Dimension, models.CASCADE, related_name="indicators", verbose_name=_("评价维度"))
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="+", verbose_name=_("指标"))
    weight = models.DecimalField(_("权重"), **WEIGHT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "order", "pk"]
        verbose_name = _("维度指标")
        verbose_name_plural = _("维度指标")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "indicator"], name="schemeindicator_unique_indicator",
                                    violation_error_message=_("该维度已包含此指标")),
        ]

    def __str__(self):
        return f"{self.dimension} · {self.indicator}"

    def clean(self):
        if self.indicator_id and self.indicator.method not in PER_UNIT_METHODS:
            message = _("指标“%(name)s”只有全市合计值，不能用于区县评价；请选择按单位计算的指标。")
            raise ValidationError({"indicator": message % {"name": self.indicator}})


class Evaluation(models.Model):
    """One computed version of a scheme; once published its stored results never change."""

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="evaluations", verbose_name=_("评价方案"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(_("状态"), max_length=10, choices=EvaluationState.choices,
                             default=EvaluationState.DRAFT)
    previous = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("上期评价"),
        help_text=_("用于计算名次变化；留空则取上一次已发布的评价"),
    )
    tree = models.JSONField(_("权重快照"), default=dict, blank=True, editable=False,
                            help_text=_("计算时的维度、指标与权重，发布后不随方案修改而变化"))
    method = models.JSONField(_("方法快照"), default=dict, blank=True, editable=False,
                              help_text=_("计算时方案的名称、评价时点、标准化方法、缺失处理与激励名单人数，"
                                          "发布后不随方案修改而变化"))
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheme__year", "-scheme__period__ordinal", "-version"]
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="evaluation_unique_scheme_version",
                                    violation_error_message=_("该方案已有此版本号的评价")),
            models.CheckConstraint(
                condition=Q(state=EvaluationState.DRAFT) | Q(published_at__isnull=False),
                name="evaluation_published_has_date",
                violation_error_message=_("已发布的评价须有发布时间"),
            ),
        ]

    def __str__(self):
        # named as frozen with it, so editing the scheme does not rename a published evaluation
        if self.method:
            return f"{self.method['scheme']}（{self.method['year']}） 第{self.version}版"
        return f"{self.scheme} 第{self.version}版"

    @property
    def is_published(self) -> bool:
        return self.state == EvaluationState.PUBLISHED


class EvaluationRun(models.Model):
    """One run of the computation job: who asked, when, how far it got, and why it failed."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="runs", verbose_name=_("评价结果"))
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0,
                                                validators=[MaxValueValidator(100)])
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("发起人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("计算任务")
        verbose_name_plural = _("计算任务")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="evaluationrun_progress_at_most_100",
                                   violation_error_message=_("进度应在 0 到 100 之间")),
        ]

    def __str__(self):
        return f"{self.evaluation} {self.get_status_display()}"


class UnitResult(models.Model):
    """A unit's scores and ranks in one evaluation, as computed (frozen once the evaluation is published)."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="results", verbose_name=_("评价结果"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("区县单位"))
    peer_group = models.ForeignKey(UnitGroup, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("组内排名分组"))
    score = models.FloatField(_("综合得分"), null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("全市排名"), null=True, blank=True)
    group_rank = models.PositiveSmallIntegerField(_("组内排名"), null=True, blank=True)
    rank_change = models.SmallIntegerField(_("名次变化"), null=True, blank=True, help_text=_("正数表示上升"))
    dimension_scores = models.JSONField(_("维度得分"), default=dict)
    missing_count = models.PositiveSmallIntegerField(_("缺失指标数"), default=0)
    recommended = models.BooleanField(_("建议激励"), default=False)
    reasons = models.JSONField(_("建议理由"), default=list, blank=True)

    class Meta:
        ordering = ["evaluation", "rank", "unit__order"]
        verbose_name = _("单位评价结果")
        verbose_name_plural = _("单位评价结果")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "unit"], name="unitresult_unique_unit",
                                    violation_error_message=_("该评价已有该单位的结果")),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.unit}"


class InputValue(models.Model):
    """One input of one unit: the indicator's value at the scheme's quarter and its normalised score."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="inputs", verbose_name=_("评价结果"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("区县单位"))
    scheme_indicator = models.ForeignKey(SchemeIndicator, models.PROTECT, related_name="+",
                                         verbose_name=_("维度指标"))
    value = models.FloatField(_("指标值"), null=True, blank=True, help_text=_("空值表示缺失"))
    score = models.FloatField(_("标准化得分"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation", "unit__order", "scheme_indicator"]
        verbose_name = _("评价输入")
        verbose_name_plural = _("评价输入")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "unit", "scheme_indicator"], name="inputvalue_unique",
                                    violation_error_message=_("该评价已有该单位该指标的输入")),
        ]

    def __str__(self):
        return f"{self.unit} · {self.scheme_indicator}"

    @property
    def missing(self) -> bool:
        return self.value is None

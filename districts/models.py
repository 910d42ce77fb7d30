from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.choices import (
    EDITABLE_STATES,
    SINGLE_NOTE_KINDS,
    ApiKeyScope,
    EntryAccess,
    ImportStatus,
    NoteKind,
    PeriodStatus,
    SubmissionAction,
    SubmissionState,
    UnitKind,
)
from portal.history import LeanHistory
from portal.names import LocalizedName
from portal.querysets import RestrictedQuerySet


class UnitGroup(LocalizedName, models.Model):
    """A region group of the city (一区两群), possibly inside a larger group."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级分组")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("区域分组")
        verbose_name_plural = _("区域分组")

    def __str__(self):
        return self.local_name

    def descendant_ids(self) -> list[int]:
        """This group and every group below it (the tree is a handful of rows)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(UnitGroup.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids += frontier
        return ids


class UnitQuerySet(RestrictedQuerySet):
    def counted(self):
        """The units whose figures add up to the city total (the 38 divisions, not the zones)."""
        return self.filter(counts_toward_city_total=True)

    def in_group(self, group: UnitGroup):
        return self.filter(group_id__in=group.descendant_ids())

    def by_code(self, code: str):
        """A unit by its current code or any old code (alias)."""
        code = code.strip()
        return self.filter(Q(code=code) | Q(aliases__code=code)).distinct()


class Unit(LocalizedName, models.Model):
    """A district-level unit that reports: a district, a county or a functional zone."""

    unit_field = "pk"

    code = models.CharField(
        _("代码"), max_length=16, unique=True, help_text=_("GB/T 2260 行政区划代码；功能区用项目代码")
    )
    name = models.CharField(_("名称"), max_length=64)
    name_en = models.CharField(_("英文名称"), max_length=128, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    group = models.ForeignKey(UnitGroup, models.PROTECT, related_name="units", verbose_name=_("区域分组"))
    counts_toward_city_total = models.BooleanField(
        _("计入全市合计"), default=True, help_text=_("功能区与所在区县重叠，不计入全市合计")
    )
    has_high_tech_zone = models.BooleanField(_("设有高新区"), default=False)
    joined = models.ForeignKey(
        "Period", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("起报期"),
        help_text=_("首次填报的季度；留空表示从一开始"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = UnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("区县单位")
        verbose_name_plural = _("区县单位")

    def __str__(self):
        return self.local_name


class UnitCodeAlias(models.Model):
    """An old code of a unit (e.g. 开县 500234 before it became 开州区 500154), so old files still import."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="aliases", verbose_name=_("区县单位"))
    code = models.CharField(_("旧代码"), max_length=16, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("代码别名")
        verbose_name_plural = _("代码别名")

    def __str__(self):
        return f"{self.code} → {self.unit.code}"


class Membership(models.Model):
    """Which unit a district clerk works for."""

    unit_field = "unit"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("用户")
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="members", verbose_name=_("区县单位"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("所属单位")
        verbose_name_plural = _("所属单位")

    def __str__(self):
        return f"{self.user} @ {self.unit}"


class PeriodQuerySet(models.QuerySet):
    def get_by_code(self, code: str) -> "Period":
        year, quarter = Period.parse_code(code)
        return self.get(year=year, quarter=quarter)

    def between(self, first: "Period", last: "Period"):
        return self.filter(ordinal__gte=first.ordinal, ordinal__lte=last.ordinal)


class Period(models.Model):
    """A reporting quarter, named like 2025Q4."""

    year = models.PositiveSmallIntegerField(_("年份"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, f"Q{q}") for q in range(1, 5)])
    ordinal = models.PositiveIntegerField(_("序号"), editable=False, help_text=_("year*4+quarter-1，便于比较先后"))
    status = models.CharField(_("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.PLANNED)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["ordinal"]
        verbose_name = _("填报期")
        verbose_name_plural = _("填报期")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.ordinal = self.year * 4 + self.quarter - 1
        super().save(*args, **kwargs)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @staticmethod
    def parse_code(code: str) -> tuple[int, int]:
        text = code.strip().upper()
        year, sep, quarter = text.partition("Q")
        if not (sep and year.isdigit() and quarter in {"1", "2", "3", "4"}):
            raise ValueError(f"季度应写作 2025Q4 这样的形式，收到的是 {code!r}")
        return int(year), int(quarter)

    @property
    def end_date(self):
        import datetime

        month = self.quarter * 3
        return datetime.date(self.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)

    def shifted(self, quarters: int) -> "Period | None":
        """The period `quarters` away (negative for earlier), if it exists."""
        ordinal = self.ordinal + quarters
        return Period.objects.filter(ordinal=ordinal).first()


class SubmissionQuerySet(RestrictedQuerySet):
    def open_for_entry(self):
        """Quarters a district may still edit: draft or returned, and entry open for that unit."""
        today = timezone.localdate()
        period_open = Q(access=EntryAccess.FOLLOW_PERIOD, period__status=PeriodStatus.OPEN) & (
            Q(period__deadline__isnull=True) | Q(period__deadline__gte=today)
        )
        return self.filter(state__in=EDITABLE_STATES).filter(period_open | Q(access=EntryAccess.OPEN))


class Submission(models.Model):
    """One unit's quarter: its figures move draft → submitted → approved, or back when returned."""

    unit_field = "unit"

    # Its unique constraint on the unit and the period serves as the unit's index.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="submissions", verbose_name=_("区县单位"),
                             db_index=False)
    period = models.ForeignKey(Period, models.PROTECT, related_name="submissions", verbose_name=_("填报期"))
    state = models.CharField(_("状态"), max_length=10, choices=SubmissionState.choices, default=SubmissionState.DRAFT)
    access = models.CharField(
        _("填报开放"), max_length=10, choices=EntryAccess.choices, default=EntryAccess.FOLLOW_PERIOD
    )
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("每次保存加一，用于发现并发修改"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    approved_values = models.JSONField(
        _("审核通过时的数据"), null=True, blank=True, editable=False,
        help_text=_("审核通过时各指标的值，重新开放后用于显示改动"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()
    history = LeanHistory()

    class Meta:
        ordering = ["-period__ordinal", "unit__order"]
        verbose_name = _("季度报送")
        verbose_name_plural = _("季度报送")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="submission_unique_unit_period",
                violation_error_message=_("该单位该季度已有报送记录"),
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.period}"

    @property
    def is_open_for_entry(self) -> bool:
        return Submission.objects.open_for_entry().filter(pk=self.pk).exists()

    @property
    def submitted_on_time(self) -> bool | None:
        if self.submitted_at is None or self.period.deadline is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.period.deadline


class SubmissionEvent(models.Model):
    """Who did what to a submission, when, and why."""

    unit_field = "submission__unit"

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="events", verbose_name=_("季度报送"))
    action = models.CharField(_("操作"), max_length=10, choices=SubmissionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("说明"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")

    def __str__(self):
        return f"{self.submission} {self.get_action_display()}"


class FigureNote(models.Model):
    """A remark on one figure of a submission: the unit's comment or warning explanation, or a
    municipal follow-up query that the unit answers."""

    unit_field = "submission__unit"

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="notes", verbose_name=_("季度报送"))
    figure = models.CharField(_("指标"), max_length=160, help_text=_("指标键，如 enterprises.tech_smes"))
    kind = models.CharField(_("类型"), max_length=12, choices=NoteKind.choices)
    text = models.TextField(_("内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("填写人")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("答复人")
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("指标备注")
        verbose_name_plural = _("指标备注")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "figure", "kind"],
                condition=Q(kind__in=SINGLE_NOTE_KINDS),
                name="figurenote_one_comment_per_figure",
                violation_error_message=_("每个指标只有一条备注和一条情况说明"),
            )
        ]

    def __str__(self):
        return f"{self.submission} {self.figure} {self.get_kind_display()}"


class PolicyArticle(models.Model):
    """An article of the 2022 guidance, which tasks can cite (the second (十) has key 10b)."""

    key = models.CharField(_("编号"), max_length=8, unique=True)
    label = models.CharField(_("条目"), max_length=16)
    title = models.CharField(_("标题"), max_length=100)
    part = models.CharField(_("所属部分"), max_length=64)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("政策条目")
        verbose_name_plural = _("政策条目")

    def __str__(self):
        return f"{self.label}{self.title}"


class QuarterQuerySet(RestrictedQuerySet):
    """Rows entered for a unit's quarter (the model names the lookups `unit_field` and `period_field`): a district
    clerk changes them only while that quarter is open for entry, never once it is submitted, approved or closed."""

    def changeable_in_unit(self):
        open_quarters = Submission.objects.open_for_entry().filter(
            unit=OuterRef(self.model.unit_field), period=OuterRef(self.model.period_field)
        )
        return self.filter(Exists(open_quarters))


def quarter_history() -> LeanHistory:
    """A figures model's history: read by the recorded row's id, and by unit and quarter (the quarter's trail)."""
    return LeanHistory(indexes=[("unit", "period")])


class QuarterFigures(models.Model):
    """Base of a figures app's row for one unit and quarter (one row per unit and period).

    `version` grows by one on every save so that a form posted over someone else's newer save is
    refused instead of silently overwriting it.
    """

    unit_field = "unit"
    period_field = "period"

    # Each figures model's unique constraint starts with the unit and the period, and serves as the unit's index.
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("区县单位"), db_index=False)
    period = models.ForeignKey(Period, models.PROTECT, related_name="+", verbose_name=_("填报期"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Who saved last, as in the history (portal/history.py): no index or constraint for an import to write.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("更新人"),
        db_index=False, db_constraint=False,
    )

    objects = QuarterQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-period__ordinal", "unit__order"]

    def __str__(self):
        return f"{self.unit} {self.period}"


THROTTLE_RATE_MESSAGE = _("限流应写作 次数/时间单位，如 1000/hour；时间单位为 second、minute、hour 或 day")


class ApiKey(models.Model):
    """A key another system calls the API with; only a hash of its secret is stored.

    Each key acts as its own user (`user`), in the API consumer role for read scopes or as staff of
    `unit` for the write scope, so the key's access goes through `restrict()` like anyone else's.
    """

    name = models.CharField(_("名称"), max_length=100, help_text=_("调用方系统或联系人，如：市统计局数据接口"))
    prefix = models.CharField(_("前缀"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(_("密钥摘要"), max_length=64, editable=False)
    scope = models.CharField(_("权限范围"), max_length=12, choices=ApiKeyScope.choices, default=ApiKeyScope.INDICATORS)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="api_keys", verbose_name=_("区县单位"),
        help_text=_("仅“读写本单位填报”需要选择"),
    )
    throttle_rate = models.CharField(
        _("限流"), max_length=20, default="1000/hour",
        validators=[RegexValidator(r"^\d+/(second|minute|hour|day)$", THROTTLE_RATE_MESSAGE)],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="api_key", editable=False, verbose_name=_("代表用户")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", editable=False, verbose_name=_("创建人")
    )
    created = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["last_used"])

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")
        constraints = [
            models.CheckConstraint(
                condition=Q(scope=ApiKeyScope.WRITE_UNIT, unit__isnull=False)
                | (~Q(scope=ApiKeyScope.WRITE_UNIT) & Q(unit__isnull=True)),
                name="apikey_unit_only_for_write_scope",
                violation_error_message=_("“读写本单位填报”的密钥须选择区县单位，其他范围不选单位"),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
class ImportJob(models.Model):
    """One upload of an Excel/CSV file of quarterly figures: its check, preview and import.

    The preview (changes and problems, by row and column) is kept on the row so that the page, the
    admin and a Celery worker all see the same thing; a clerk sees the jobs of their unit's people.
    """

    unit_field = "created_by__membership__unit"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    content = models.BinaryField(_("文件内容"), help_text=_("存在数据库中，网页进程和 Celery 进程都能读取"))
    file_name = models.CharField(_("文件名"), max_length=255)
    period = models.ForeignKey(
        Period, models.PROTECT, related_name="+", verbose_name=_("默认季度"),
        help_text=_("文件中没有“季度”列时导入到该季度"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    changed = models.PositiveIntegerField(_("变更数值个数"), default=0)
    preview = models.JSONField(_("预览"), default=dict, blank=True)
    error_summary = models.TextField(_("错误摘要"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

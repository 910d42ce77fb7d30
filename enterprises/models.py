import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from districts.models import QuarterFigures, Unit, quarter_history
from enterprises import credit_codes
from enterprises.choices import StatusKind, ValidityRule
from portal.history import LeanHistory
from portal.querysets import RestrictedQuerySet


class EnterpriseFigures(QuarterFigures):
    """Enterprise counts of a unit at the end of a quarter (stocks)."""

    tech_smes = models.PositiveIntegerField(_("科技型企业（入库数）"), null=True, blank=True)
    high_tech = models.PositiveIntegerField(_("高新技术企业（有效数）"), null=True, blank=True)
    specialised_smes = models.PositiveIntegerField(_("专精特新中小企业"), null=True, blank=True)
    little_giants = models.PositiveIntegerField(_("其中：专精特新“小巨人”企业"), null=True, blank=True)

    history = quarter_history()

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


class StatusValidity(models.Model):
    """How long a status of a kind lasts when its list gives no end date (reference data the bureau edits)."""

    kind = models.CharField(_("类型"), max_length=20, choices=StatusKind.choices, unique=True)
    rule = models.CharField(_("有效期规则"), max_length=10, choices=ValidityRule.choices)
    years = models.PositiveSmallIntegerField(_("年数"), null=True, blank=True, help_text=_("规则为“若干年”时填写"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("资质有效期规则")
        verbose_name_plural = _("资质有效期规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(rule=ValidityRule.YEARS, years__gte=1) | ~Q(rule=ValidityRule.YEARS),
                name="statusvalidity_years_given_for_years_rule",
                violation_error_message=_("规则为“若干年”时须填写年数"),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def valid_until(self, issued: datetime.date) -> datetime.date | None:
        """The last day a status issued on `issued` holds; None while not revoked."""
        if self.rule == ValidityRule.YEAR_END:
            return datetime.date(issued.year, 12, 31)
        if self.rule == ValidityRule.YEARS:
            # Three years from 2023-12-12 ends on 2026-12-11; from 29 February, on 28 February.
            year = issued.year + self.years
            end = issued.replace(year=year) if not (issued.month == 2 and issued.day == 29) else \
                datetime.date(year, 3, 1)
            return end - datetime.timedelta(days=1)
        return None


def validate_credit_code(value: str) -> None:
    if not credit_codes.is_valid(value):
        raise ValidationError(_("“%(code)s”不是有效的统一社会信用代码（18 位，末位为校验码）"), params={"code": value},
                              code="invalid_credit_code")


class Enterprise(models.Model):
    """An enterprise on the registry, known by its unified social credit code.

    `unit` is the unit it is registered in today, kept by the services from its registrations, so that
    `restrict()` reaches it in one join; where it was at a date is in `registrations`.
    """

    unit_field = "unit"

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True,
                                   validators=[validate_credit_code],
                                   help_text=_("公示名单常只有名称，代码未知时留空"))
    name = models.CharField(_("企业名称"), max_length=200)
    earlier_names = models.JSONField(_("曾用名"), default=list, blank=True)
    industry = models.CharField(_("国民经济行业代码"), max_length=5, blank=True,
                                validators=[RegexValidator(r"^[A-T](\d{2,4})?$",
                                                           _("行业代码为 GB/T 4754 门类字母加 2–4 位数字"))],
                                help_text=_("GB/T 4754，如 C3911；可不填"))
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("当前所在单位"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业名录")
        indexes = [
            # The import matches names after normalising them; the registry list filters by unit and name.
            models.Index(fields=["unit", "name"], name="enterprise_unit_name"),
        ]
        # On PostgreSQL a trigram index on UPPER(name) serves the list's search (migration 0004).

    def __str__(self):
        return self.name


class Registration(models.Model):
    """The unit an enterprise is registered in from `since` to `until` (both days included; open ends are
    "before records began" and "still"). A move closes one and opens the next the same day."""

    unit_field = "enterprise__unit"

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="registrations", verbose_name=_("企业"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("区县单位"))
    since = models.DateField(_("起始日期"), null=True, blank=True)
    until = models.DateField(_("截止日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["enterprise", "since"]
        verbose_name = _("注册所在单位")
        verbose_name_plural = _("注册所在单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(since__lte=F("until")),
                name="registration_since_before_until",
                violation_error_message=_("起始日期不能晚于截止日期"),
            ),
            models.UniqueConstraint(
                fields=["enterprise"], condition=Q(until__isnull=True), name="registration_one_current_per_enterprise",
                violation_error_message=_("该企业已有当前所在单位"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.unit}"


class StatusRecordQuerySet(RestrictedQuerySet):
    def held_at(self, date):
        """Records in force on `date`, each with `unit_at`: the unit its enterprise was registered in that day.

        The issue day counts, the valid-until day counts, the day after does not; a revocation ends it from
        the revocation day. A record whose enterprise was in no unit that day is left out. Every count of the
        registry goes through here. `date` may be an expression of the record (`F("valid_until")`: still held
        on its last day).
        """
        return self.filter(
            Q(issued__lte=date),
            Q(valid_until__isnull=True) | Q(valid_until__gte=date),
            Q(revoked__isnull=True) | Q(revoked__gt=date),
            # One filter() call: both conditions apply to the same registration row.
            Q(enterprise__registrations__since__isnull=True) | Q(enterprise__registrations__since__lte=date),
            Q(enterprise__registrations__until__isnull=True) | Q(enterprise__registrations__until__gte=date),
        ).annotate(unit_at=F("enterprise__registrations__unit"))


class StatusRecord(models.Model):
    """A status an enterprise was given: a registration, a certificate, a listing, a place in the reserve pool."""

    unit_field = "enterprise__unit"

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="statuses", verbose_name=_("企业"),
                                   db_index=False)  # the enterprise–kind index serves it
    kind = models.CharField(_("类型"), max_length=20, choices=StatusKind.choices)
    number = models.CharField(_("证书编号/文号"), max_length=64, blank=True)
    issued = models.DateField(_("发证（认定）日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("留空则按该类型的有效期规则计算"))
    revoked = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = StatusRecordQuerySet.as_manager()
    # A record's history is read by the record's id only; an index on its enterprise would only slow the writing of
    # a list's 100,000 history rows.
    history = LeanHistory()

    class Meta:
        ordering = ["enterprise", "kind", "-issued"]
        verbose_name = _("资质记录")
        verbose_name_plural = _("资质记录")
        indexes = [
            # An enterprise's own records: its page, the cascade, and the questions asked per enterprise (renewed
            # by then? high-tech by year N+2? a higher tier the day before?), which the unique index below, led by
            # kind and issue day, would answer by reading every record of a span of days. Not by issue day too:
            # SQLite then answered the day-before question wrongly (a day computed by Django's date function).
            models.Index(fields=["enterprise", "kind"], name="statusrecord_enterprise_kind"),
        ]
        constraints = [
            # Kind and issue day first: a list's records (one kind, one or a few issue days) then go to one place of
            # the index rather than to a page of their own each, all over it; the same index serves the counts and
            # the forecast, which select by kind and dates.
            models.UniqueConstraint(
                fields=["kind", "issued", "enterprise"], name="statusrecord_unique_kind_issued_enterprise",
                violation_error_message=_("该企业同一天已有同类资质记录"),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("issued")),
                name="statusrecord_valid_until_after_issued",
                violation_error_message=_("有效期至不能早于发证日期"),
            ),
            models.CheckConstraint(
                condition=Q(revoked__isnull=True) | Q(revoked__gte=F("issued")),
                name="statusrecord_revoked_after_issued",
                violation_error_message=_("撤销日期不能早于发证日期"),
            ),
            models.CheckConstraint(
                condition=Q(revoked__isnull=False) | Q(revoked_reason=""),
                name="statusrecord_reason_only_when_revoked",
                violation_error_message=_("未撤销的记录不应填写撤销原因"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()} {self.issued}"


class CultivationEntry(models.Model):
    """An enterprise on a unit's cultivation list (培育清单): the tier of the chain it should reach, by when, and
    whether the unit recommended it into the city's listing reserve pool (上市储备库)."""

    unit_field = "unit"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("培育单位"))
    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="cultivation", verbose_name=_("企业"))
    target = models.CharField(_("培育目标"), max_length=20, choices=StatusKind.chain_choices())
    due = models.DateField(_("目标日期"))
    recommended = models.DateField(_("推荐入上市储备库日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__order", "due", "enterprise__name"]
        verbose_name = _("培育清单企业")
        verbose_name_plural = _("培育清单")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "enterprise", "target"], name="cultivationentry_unique_unit_enterprise_target",
                violation_error_message=_("该企业已在本单位清单中，目标相同"),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.get_target_display()}"


class CultivationNote(models.Model):
    """What a unit did for an enterprise on its list in a quarter (one note per entry and quarter)."""

    unit_field = "entry__unit"

    entry = models.ForeignKey(CultivationEntry, models.CASCADE, related_name="notes", verbose_name=_("清单企业"))
    period = models.ForeignKey("districts.Period", models.PROTECT, related_name="+", verbose_name=_("季度"))
    text = models.TextField(_("培育情况"), max_length=2000)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "-period__ordinal"]
        verbose_name = _("培育情况")
        verbose_name_plural = _("培育情况")
        constraints = [
            models.UniqueConstraint(fields=["entry", "period"], name="cultivationnote_unique_entry_period",
                                    violation_error_message=_("该企业本季度已有培育情况记录")),
        ]

    def __str__(self):
        return f"{self.entry} {self.period}"

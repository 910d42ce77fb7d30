import django_filters
from django.db.models import Q
from django.utils import timezone

from districts.filtersets import QUARTER_ORDERING, DistrictScopedFilterSet, QuarterFilterSet, UpdatedAfterFilter
from enterprises import credit_codes
from enterprises.choices import StatusKind
from enterprises.models import CultivationEntry, Enterprise, EnterpriseFigures, StatusRecord


class EnterpriseFiguresFilterSet(QuarterFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=QUARTER_ORDERING + (("tech_smes", "tech_smes"), ("high_tech", "high_tech"))
    )

    class Meta:
        model = EnterpriseFigures
        fields = ["unit", "group", "period_after", "period_before", "updated_after"]


def is_caseless(text: str) -> bool:
    """Whether no character of `text` has a case or is another's upper case (ASCII other than letters, CJK
    ideographs): a name then contains it exactly when the upper-cased name does."""
    return all((char.isascii() and not char.isalpha()) or "\u3400" <= char <= "\u9fff" for char in text)


class RegistryFilterSet(DistrictScopedFilterSet):
    """Filters both registry lists share. `unit` and `group` are where an enterprise is registered today; `kind`,
    `valid_at` and `expiring_before` select by status records (`records()` says which records a row stands for)."""

    kind = django_filters.MultipleChoiceFilter(choices=StatusKind.choices, method="filter_kind",
                                               label="资质类型（可多选）")
    valid_at = django_filters.DateFilter(method="filter_valid_at", label="在此日期持有资质（含当日），如 2025-12-31")
    expiring_before = django_filters.DateFilter(method="filter_expiring_before",
                                                label="今天起至此日期（含）到期且未撤销的资质")
    credit_code = django_filters.CharFilter(method="filter_credit_code", label="统一社会信用代码")
    search = django_filters.CharFilter(method="filter_search", label="按企业名称（含部分）或信用代码查找")
    updated_after = UpdatedAfterFilter(field_name="updated_at", lookup_expr="gt",
                                       label="只返回此时间之后更新的记录（ISO 8601，如 2025-01-31T08:00:00+08:00）")

    enterprise_prefix = ""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not any(data.get(name) for name in ("kind", "valid_at", "expiring_before")):
            return queryset
        records = StatusRecord.objects.all()
        if data.get("valid_at"):
            records = records.held_at(data["valid_at"])
        if data.get("kind"):
            records = records.filter(kind__in=data["kind"])
        if data.get("expiring_before"):
            records = records.filter(valid_until__gte=timezone.localdate(), valid_until__lte=data["expiring_before"],
                                     revoked__isnull=True)
        return self.matching(queryset, records)

    def matching(self, queryset, records):
        raise NotImplementedError

    # The three filters above act together in filter_queryset (one set of records, not three).
    def filter_kind(self, queryset, name, value):
        return queryset

    filter_valid_at = filter_expiring_before = filter_kind

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(**{f"{self.enterprise_prefix}credit_code": credit_codes.normalise(value)})

    def filter_search(self, queryset, name, value):
        text, prefix = value.strip(), self.enterprise_prefix
        found = Q(**{f"{prefix}name__icontains": text})
        if is_caseless(text):
            # The same rows, but UPPER() of each name costs most of a search: PostgreSQL tries the plain match first.
            found = Q(**{f"{prefix}name__contains": text}) & found
        code = credit_codes.normalise(text)
        if code.isascii() and code.isalnum():
            found = Q(**{f"{prefix}credit_code__startswith": code}) | found  # the cheaper test first
        return queryset.filter(found)


class EnterpriseFilterSet(RegistryFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=(("unit__order", "unit"), ("name", "name"), ("founded", "founded"), ("updated_at", "updated_at"))
    )

    class Meta:
        model = Enterprise
        fields = ["unit", "group", "kind", "valid_at", "expiring_before", "credit_code", "search", "updated_after"]

    def matching(self, queryset, records):
        return queryset.filter(pk__in=records.values("enterprise_id"))


class StatusRecordFilterSet(RegistryFilterSet):
    enterprise_prefix = "enterprise__"
    ordering = django_filters.OrderingFilter(
        fields=(("issued", "issued"), ("valid_until", "valid_until"), ("enterprise__name", "name"),
                ("updated_at", "updated_at"))
    )

    class Meta:
        model = StatusRecord
        fields = ["unit", "group", "enterprise", "kind", "valid_at", "expiring_before", "credit_code", "search",
                  "updated_after"]

    def matching(self, queryset, records):
        return queryset.filter(pk__in=records.values("pk"))


class CultivationEntryFilterSet(DistrictScopedFilterSet):
    """`unit` and `group` are the unit whose list it is; `reached` asks the registry at today."""

    target = django_filters.MultipleChoiceFilter(choices=StatusKind.chain_choices(), label="培育目标（可多选）")
    due_before = django_filters.DateFilter(field_name="due", lookup_expr="lte", label="目标日期不晚于此日期")
    recommended = django_filters.BooleanFilter(field_name="recommended", lookup_expr="isnull", exclude=True,
                                               label="是否已推荐入上市储备库")
    reached = django_filters.BooleanFilter(field_name="reached_today", label="今天是否已达到培育目标")
    search = django_filters.CharFilter(method="filter_search", label="按企业名称（含部分）或信用代码查找")
    updated_after = UpdatedAfterFilter(field_name="updated_at", lookup_expr="gt",
                                       label="只返回此时间之后更新的记录（ISO 8601，如 2025-01-31T08:00:00+08:00）")
    ordering = django_filters.OrderingFilter(
        fields=(("unit__order", "unit"), ("due", "due"), ("enterprise__name", "name"), ("updated_at", "updated_at"))
    )

    filter_search = RegistryFilterSet.filter_search
    enterprise_prefix = "enterprise__"

    class Meta:
        model = CultivationEntry
        fields = ["unit", "group", "target", "due_before", "recommended", "reached", "search", "updated_after"]

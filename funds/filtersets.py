import django_filters

from districts.filtersets import QUARTER_ORDERING, CodesFilter, DistrictScopedFilterSet, QuarterFilterSet
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow


class EconomyFiguresFilterSet(QuarterFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=(*QUARTER_ORDERING, ("rd_spending", "rd_spending"), ("gdp", "gdp"))
    )

    class Meta:
        model = EconomyFigures
        fields = ["unit", "group", "period_after", "period_before", "updated_after"]


class FundFlowFilterSet(QuarterFilterSet):
    fund = CodesFilter(field_name="fund__code", lookup_expr="in", label="资金代码（可多个，逗号分隔）")
    ordering = django_filters.OrderingFilter(fields=(*QUARTER_ORDERING, ("fund__order", "fund")))

    class Meta:
        model = FundFlow
        fields = ["unit", "group", "fund", "period_after", "period_before", "updated_after"]


class FundAllocationFilterSet(DistrictScopedFilterSet):
    fund = CodesFilter(field_name="fund__code", lookup_expr="in", label="资金代码（可多个，逗号分隔）")
    year_after = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label="起始年度（含）")
    year_before = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label="截止年度（含）")
    ordering = django_filters.OrderingFilter(
        fields=(("year", "year"), ("unit__order", "unit"), ("fund__order", "fund"), ("allocated", "allocated"))
    )

    class Meta:
        model = FundAllocation
        fields = ["unit", "group", "fund", "year"]


class FundFilterSet(django_filters.FilterSet):
    ordering = django_filters.OrderingFilter(fields=(("order", "order"), ("code", "code")))

    class Meta:
        model = Fund
        fields = ["kind"]

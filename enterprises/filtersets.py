import django_filters

from districts.filtersets import QUARTER_ORDERING, QuarterFilterSet
from enterprises.models import EnterpriseFigures


class EnterpriseFiguresFilterSet(QuarterFilterSet):
    ordering = django_filters.OrderingFilter(
        fields=QUARTER_ORDERING + (("tech_smes", "tech_smes"), ("high_tech", "high_tech"))
    )

    class Meta:
        model = EnterpriseFigures
        fields = ["unit", "group", "period_after", "period_before", "updated_after"]

"""The bare view the served pages are measured against: the same snapshot rows, read with .values(), as JSON.

The best the machine does for the same request: the access rule, the quarter found by its code once, one
indexed query for one plan, indicator and quarter, and the units table's order. Mounted only by
bench/urls.py (bench settings), never by the portal's URLs.
"""
from django.http import JsonResponse

from districts.models import Period
from indicators.choices import Scope
from indicators.models import IndicatorValue

FIELDS = ("unit__code", "unit__name", "value", "target_value", "progress", "status", "rank_all", "rank_in_group")


def bare_values(request):
    rows = IndicatorValue.objects.restrict(request.user, "view").filter(
        plan__code=request.GET["plan"], indicator__code=request.GET["indicator"], scope=Scope.UNIT,
        period=Period.objects.get_by_code(request.GET["period"]),
    ).order_by("rank_all", "unit__order")
    return JsonResponse({"results": list(rows.values(*FIELDS))})

"""The bare view the served pages are measured against: the same snapshot rows, read with .values(), as JSON.

Mounted only by bench/urls.py (bench settings), never by the portal's URLs.
"""
from django.http import JsonResponse

from indicators.choices import Scope
from indicators.models import IndicatorValue

FIELDS = ("unit__code", "unit__name", "value", "target_value", "progress", "status", "rank_all", "rank_in_group")


def bare_values(request):
    rows = IndicatorValue.objects.restrict(request.user, "view").filter(
        plan__code=request.GET["plan"], indicator__code=request.GET["indicator"], scope=Scope.UNIT,
        period__year=int(request.GET["period"][:4]), period__quarter=int(request.GET["period"][-1]),
    )
    return JsonResponse({"results": list(rows.values(*FIELDS))})

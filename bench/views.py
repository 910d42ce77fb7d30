"""The bare views the served pages are measured against: the same rows, read with .values(), as JSON.

The best the machine does for the same request: the access rule, one indexed query and the served order (the
snapshot: one plan, indicator and quarter, in the units table's order; the registry: one unit's enterprises whose
name contains a word or whose credit code starts with a prefix, by name, one page). Mounted only by bench/urls.py
(bench settings), never by the portal's URLs.
"""
from django.http import JsonResponse

from districts.models import Period
from enterprises.models import Enterprise
from indicators.choices import Scope
from indicators.models import IndicatorValue

FIELDS = ("unit__code", "unit__name", "value", "target_value", "progress", "status", "rank_all", "rank_in_group")


def bare_values(request):
    rows = IndicatorValue.objects.restrict(request.user, "view").filter(
        plan__code=request.GET["plan"], indicator__code=request.GET["indicator"], scope=Scope.UNIT,
        period=Period.objects.get_by_code(request.GET["period"]),
    ).order_by("rank_all", "unit__order")
    return JsonResponse({"results": list(rows.values(*FIELDS))})


ENTERPRISE_FIELDS = ("credit_code", "name", "unit__code", "industry", "founded", "updated_at")
PAGE = 100  # the API's page


def bare_enterprises(request):
    rows = Enterprise.objects.restrict(request.user, "view").filter(unit__code=request.GET["unit"])
    if "name" in request.GET:
        rows = rows.filter(name__contains=request.GET["name"])
    else:
        rows = rows.filter(credit_code__startswith=request.GET["code"])
    return JsonResponse({"results": list(rows.order_by("name", "pk").values(*ENTERPRISE_FIELDS)[:PAGE])})

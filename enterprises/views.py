import datetime

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.utils import timezone

from districts.models import Period, Unit
from enterprises.chain import CONVERSION_YEARS, conversions, moved_up
from enterprises.choices import StatusKind
from enterprises.comparison import REPORTED_FIELD, comparison
from enterprises.models import StatusRecord
from enterprises.selectors import kept
from portal import roles
from portal.planner import local_setting
from portal.querysets import access_fingerprint

MOVERS_SHOWN = 100
MOVERS_ORDER = ("-issued", "enterprise__name")


def _ended(today: datetime.date):
    """Quarters that have ended by today, latest first."""
    this_quarter = today.year * 4 + (today.month - 1) // 3
    return Period.objects.filter(ordinal__lt=this_quarter).order_by("-ordinal")


def _chosen_period(request, today: datetime.date) -> Period | None:
    try:
        return Period.objects.get_by_code(request.GET.get("period", ""))
    except (ValueError, Period.DoesNotExist):
        return _ended(today).first()


def _chosen_target(request, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("target", ""))
    except ValueError:
        return datetime.date(today.year + 1, 12, 31)


@login_required
def registry_overview(request):
    """Registry counts beside the reported figures of a quarter, the chain over time and the high-tech lapse forecast
    to a target."""
    today = timezone.localdate()
    period, target = _chosen_period(request, today), _chosen_target(request, today)
    rows = comparison(user=request.user, period=period, target=target, today=today) if period else []
    units = Unit.objects.restrict(request.user)
    if roles.is_municipal(request.user) or roles.has_role(request.user, roles.API_CONSUMER):
        units = units.counted()
    unit_ids, years = sorted(units.values_list("pk", flat=True)), range(today.year - 6, today.year - CONVERSION_YEARS)
    records = StatusRecord.objects.restrict(request.user)
    movers, movers_total = kept("movers", lambda: _movers(records, today.year), today.year,
                                access_fingerprint(records))
    return render(request, "enterprises/registry.html", {
        "conversions": kept("conversions", lambda: conversions(years=years, unit_ids=set(unit_ids)), years, unit_ids),
        "conversion_years": CONVERSION_YEARS, "movers_total": movers_total,
        "movers": StatusRecord.objects.filter(pk__in=movers).select_related("enterprise__unit").order_by(*MOVERS_ORDER),
        "rows": rows, "period": period, "target": target, "today": today,
        "periods": _ended(today)[:12],
        "kinds": [StatusKind(kind).label for kind in REPORTED_FIELD],
        "chain": StatusKind.labels,
    })


def _movers(records, year: int) -> tuple[list[int], int]:
    """The first MOVERS_SHOWN records of `records` that moved their enterprise up the chain in `year` (kept by id:
    names are read afresh), and how many there are."""
    movers = moved_up(year=year, records=records).order_by(*MOVERS_ORDER)
    # Costed as one look-up per record of the year, the two statements would be compiled first (JIT): over a second
    # each at the demo's scale, for milliseconds of work.
    with connection.cursor() as cursor, local_setting(cursor, "jit", "off"):
        return list(movers.values_list("pk", flat=True)[:MOVERS_SHOWN]), movers.count()

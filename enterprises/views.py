import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from districts.models import Period
from enterprises.choices import StatusKind
from enterprises.comparison import REPORTED_FIELD, comparison


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
    """Registry counts beside the reported figures of a quarter, and the high-tech lapse forecast to a target."""
    today = timezone.localdate()
    period, target = _chosen_period(request, today), _chosen_target(request, today)
    rows = comparison(user=request.user, period=period, target=target, today=today) if period else []
    return render(request, "enterprises/registry.html", {
        "rows": rows, "period": period, "target": target, "today": today,
        "periods": _ended(today)[:12],
        "kinds": [StatusKind(kind).label for kind in REPORTED_FIELD],
        "chain": StatusKind.labels,
    })

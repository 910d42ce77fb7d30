"""Reads reused by the ledger pages."""
import datetime

from django.utils import timezone

from districts.models import Unit
from ledger.models import LeaderAssignment, Task


def leader_units(user):
    """The units a bureau leader guides (分片指导); none for anyone without an assignment."""
    assignment = LeaderAssignment.objects.filter(leader=user).first()
    return assignment.units.order_by("order") if assignment else Unit.objects.none()


def leader_watchlist(user, today: datetime.date | None = None) -> dict:
    """Per guided unit: its overdue tasks and its at-risk tasks, as far as the leader may see them."""
    today = today or timezone.localdate()
    units = list(leader_units(user))
    tasks = (Task.objects.restrict(user, "view").open().filter(unit__in=units)
             .select_related("unit", "article").order_by("due"))
    rows = {unit: {"overdue": [], "at_risk": [], "open": 0} for unit in units}
    for task in tasks:
        row = rows[task.unit]
        row["open"] += 1
        if task.is_overdue(today):
            row["overdue"].append(task)
        elif task.is_at_risk(today):
            row["at_risk"].append(task)
    return rows

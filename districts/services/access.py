"""Who may act on a quarter, and the decorator that makes every service check it before reading its input."""
from functools import wraps

from django.db.models import F
from django.utils.translation import gettext as _

from districts.exceptions import AccessDenied
from districts.id_lists import IdIn
from districts.models import Submission, Unit
from portal import roles
from portal.querysets import unit_id_of


def editable_quarters(*, user, quarters) -> set[tuple[int, int]]:
    """The (unit id, period id) of `quarters` ((unit, period) pairs) whose figures this user may change.
    Municipal staff may correct any quarter; district staff only their own unit's, while it is open for entry."""
    unit_ids = {unit.id for unit, _period in quarters}
    units = Unit.objects.restrict(user, "view").filter(IdIn(F("pk"), unit_ids)).order_by()  # a set: no sort
    visible = set(units.values_list("pk", flat=True))
    asked = {(unit.id, period.id) for unit, period in quarters if unit.id in visible}
    if roles.is_municipal_staff(user):
        return asked
    if not roles.is_district_staff(user):
        return set()
    open_quarters = Submission.objects.open_for_entry().filter(
        unit_id__in=visible, period_id__in={period_id for _unit_id, period_id in asked}
    )
    return asked & set(open_quarters.values_list("unit_id", "period_id"))


def quarter_editable(*, user, unit, period) -> bool:
    """May this user change this unit's figures for this quarter? (see `editable_quarters`)"""
    return bool(editable_quarters(user=user, quarters=[(unit, period)]))


def require_municipal_staff(user, **_target) -> None:
    if not roles.is_municipal_staff(user):
        raise AccessDenied(_("只有市级管理人员可以执行此操作。"))


def require_own_unit_staff(user, *, submission, **_target) -> None:
    if not roles.is_district_staff(user) or unit_id_of(user) != submission.unit_id:
        raise AccessDenied(_("只有本单位的区县填报人员可以提交本季度数据。"))


def require_figure_entry(user, **_target) -> None:
    """Anyone who may enter figures for some unit; which quarters they may change is checked per quarter."""
    if not (roles.is_municipal_staff(user) or roles.is_district_staff(user)):
        raise AccessDenied(_("只有区县填报人员和市级管理人员可以填报数据。"))


def permission_first(rule):
    """The service checks `rule(user, **its arguments)` before anything else, and offers it as
    `service.check_permission` to views, which call it before they read or validate the request: someone who
    may not take an action is refused the same way whatever they send, and learns nothing from validation."""

    def decorate(service):
        @wraps(service)
        def guarded(*, user, **arguments):
            rule(user, **arguments)
            return service(user=user, **arguments)

        guarded.check_permission = rule
        return guarded

    return decorate
